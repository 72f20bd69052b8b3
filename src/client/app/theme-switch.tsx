import { cx } from '../ui/cx';
import { THEME_CHOICES, useTheme } from './theme';
import type { ThemeChoice } from './theme';

const LABELS: Record<ThemeChoice, { text: string; glyph: string }> = {
  system: { text: 'System', glyph: '◐' },
  light: { text: 'Light', glyph: '☀' },
  dark: { text: 'Dark', glyph: '☾' },
};

/** System / light / dark, as a group of radio-like buttons; the choice is remembered. */
export function ThemeSwitch() {
  const [choice, setChoice] = useTheme();
  return (
    <div role="radiogroup" aria-label="Theme" className="flex shrink-0 rounded-md border border-line p-0.5">
      {THEME_CHOICES.map((option) => (
        <button
          key={option}
          type="button"
          role="radio"
          aria-checked={choice === option}
          aria-label={`${LABELS[option].text} theme`}
          title={`${LABELS[option].text} theme`}
          tabIndex={choice === option ? 0 : -1}
          onClick={() => setChoice(option)}
          onKeyDown={(event) => {
            const step =
              event.key === 'ArrowRight' || event.key === 'ArrowDown'
                ? 1
                : event.key === 'ArrowLeft' || event.key === 'ArrowUp'
                  ? -1
                  : 0;
            if (!step) return;
            event.preventDefault();
            const index =
              (THEME_CHOICES.indexOf(choice) + step + THEME_CHOICES.length) % THEME_CHOICES.length;
            const next = THEME_CHOICES[index]!;
            setChoice(next);
            (event.currentTarget.parentElement?.children[index] as HTMLElement | undefined)?.focus();
          }}
          className={cx(
            'grid size-6 place-items-center rounded text-xs',
            choice === option ? 'bg-raised text-fg' : 'text-muted hover:text-fg',
          )}
        >
          <span aria-hidden="true">{LABELS[option].glyph}</span>
        </button>
      ))}
    </div>
  );
}
