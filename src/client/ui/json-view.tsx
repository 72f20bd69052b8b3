import { CopyButton } from './copy-button';
import { cx } from './cx';

/** Pretty-printed JSON, selectable, with a copy button. */
export function JsonView({ value, label, className }: { value: unknown; label: string; className?: string }) {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return (
    <div className={cx('relative rounded-md border border-line bg-raised', className)}>
      <CopyButton value={text} label={`Copy ${label}`} className="absolute top-1 right-1" />
      <pre
        aria-label={label}
        tabIndex={0}
        className="max-h-[28rem] overflow-auto p-3 pr-9 font-mono text-xs leading-[1.1rem] whitespace-pre-wrap break-all"
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
