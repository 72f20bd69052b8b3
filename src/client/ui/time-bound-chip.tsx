import type { UnixSeconds } from '../../shared/openai-types';
import { useNow } from '../hooks/use-now';
import { useTimeFormat } from '../hooks/use-time-format';
import { formatMoment, formatZonedTime, toIsoTime } from '../lib/format-time';
import { CloseIcon } from './icons';

/**
 * A list's time bound (`created_after`, e.g. from the home's "View all failed") as a filter chip: "Created since 1d
 * ago" (or the zoned time, as the person reads times); a click removes it.
 */
export function TimeBoundChip({
  createdAfter,
  onRemove,
}: {
  createdAfter: UnixSeconds;
  onRemove: () => void;
}) {
  const [format] = useTimeFormat();
  const now = useNow(60_000);
  const since = formatMoment(createdAfter, format, now);
  return (
    <button
      type="button"
      onClick={onRemove}
      aria-label={`Created since ${since}: remove this filter`}
      title={`Runs created at or after ${formatZonedTime(createdAfter)}. Click to show them all.`}
      className="inline-flex h-7 items-center gap-1.5 rounded-md border border-accent bg-accent-soft px-2 text-xs text-fg hover:bg-raised"
    >
      Created since <time dateTime={toIsoTime(createdAfter)}>{since}</time>
      <CloseIcon />
    </button>
  );
}
