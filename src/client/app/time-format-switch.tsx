import { useTimeFormat } from '../hooks/use-time-format';
import { cx } from '../ui/cx';

/** One pressed-or-not button: show absolute times with the time zone instead of "3m ago" (remembered). */
export function TimeFormatSwitch() {
  const [format, setFormat] = useTimeFormat();
  const absolute = format === 'absolute';
  return (
    <button
      type="button"
      aria-pressed={absolute}
      aria-label="Absolute times"
      title={
        absolute ? 'Showing absolute times with the time zone' : 'Show absolute times with the time zone'
      }
      onClick={() => setFormat(absolute ? 'relative' : 'absolute')}
      className={cx(
        'h-7 shrink-0 rounded-md border border-line px-1.5 text-[11px] tabular-nums',
        absolute ? 'bg-raised text-fg' : 'text-muted hover:text-fg',
      )}
    >
      <span aria-hidden="true">12:00</span>
    </button>
  );
}
