import { cx } from '../ui/cx';
import { useTheme } from './theme';
import type { ThemeChoice } from './theme';

const CHOICES: [ThemeChoice, string, string][] = [
  ['system', 'System', '◐'],
  ['light', 'Light', '☀'],
  ['dark', 'Dark', '☾'],
];

/** System / light / dark: three pressed-or-not buttons; the choice is remembered. */
export function ThemeSwitch() {
  const [choice, setChoice] = useTheme();
  return (
    <div role="group" aria-label="Theme" className="flex shrink-0 rounded-md border border-line p-0.5">
      {CHOICES.map(([option, label, glyph]) => (
        <button
          key={option}
          type="button"
          aria-pressed={choice === option}
          aria-label={`${label} theme`}
          title={`${label} theme`}
          onClick={() => setChoice(option)}
          className={cx(
            'grid size-6 place-items-center rounded text-xs',
            choice === option ? 'bg-raised text-fg' : 'text-muted hover:text-fg',
          )}
        >
          <span aria-hidden="true">{glyph}</span>
        </button>
      ))}
    </div>
  );
}
