import { useEffect, useState } from 'react';
import { cx } from './cx';
import { CheckIcon, CopyIcon } from './icons';

/** Copies `value` to the clipboard and says so for a moment. */
export function CopyButton({
  value,
  label,
  className,
  tabIndex,
}: {
  value: string;
  label: string;
  className?: string;
  /** -1 inside a grid row, which is one Tab stop (its run's panel has the same copy button). */
  tabIndex?: number;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 1_500);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy(event: React.MouseEvent) {
    event.stopPropagation();
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState('failed');
    }
  }

  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      tabIndex={tabIndex}
      onClick={copy}
      className={cx(
        'inline-flex h-6 min-w-6 items-center justify-center rounded px-1 text-xs text-faint hover:bg-raised hover:text-fg',
        className,
      )}
    >
      {state === 'copied' ? (
        <CheckIcon />
      ) : state === 'failed' ? (
        <span aria-hidden="true">!</span>
      ) : (
        <CopyIcon />
      )}
      <span role="status" className="sr-only">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : ''}
      </span>
    </button>
  );
}
