import { CopyButton } from './copy-button';
import { cx } from './cx';

/**
 * Pretty-printed JSON, selectable, with a copy button. The block is focusable (it scrolls: keyboard users can scroll
 * it with the arrow keys). `compact` for short values inside a form.
 */
export function JsonView({
  value,
  label,
  className,
  compact = false,
}: {
  value: unknown;
  label: string;
  className?: string;
  compact?: boolean;
}) {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return (
    <div className={cx('relative rounded-md border border-line bg-raised', className)}>
      <CopyButton value={text} label={`Copy ${label}`} className="absolute top-1 right-1" />
      <pre
        aria-label={label}
        tabIndex={0}
        className={cx(
          'overflow-auto pr-9 font-mono text-xs leading-[1.1rem] whitespace-pre-wrap break-all',
          compact ? 'max-h-40 p-2' : 'max-h-[28rem] p-3',
        )}
      >
        {text}
      </pre>
    </div>
  );
}

/** Pretty-prints a JSON text when it parses; returns it unchanged otherwise (tool arguments are model output). */
export function prettyJsonText(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
