import { STATUS_PRESENTATION, statusLabel } from '../../ui/status-badge';
import type { StatusShare } from './thread-insights';
import { statusFillStyle } from '../../ui/status-badge';

/** How all the thread's runs split by status: a proportional bar, and the same counts as a labelled list. */
export function ThreadStatusMix({ mix }: { mix: StatusShare[] }) {
  return (
    <div className="flex flex-col gap-2">
      <div aria-hidden="true" className="flex h-4 overflow-hidden rounded-sm bg-raised">
        {mix.map((entry) => (
          <span
            key={entry.status}
            title={`${statusLabel(entry.status)}: ${entry.count}`}
            className="h-full min-w-0.5 border-r border-surface last:border-r-0"
            style={{ ...statusFillStyle(entry.status), width: `${entry.share * 100}%` }}
          />
        ))}
      </div>
      <ul aria-label="Status mix" className="flex flex-wrap gap-x-4 gap-y-1 text-xs">
        {mix.map((entry) => (
          <li key={entry.status} className="flex items-center gap-1.5 tabular-nums">
            <span
              aria-hidden="true"
              className="inline-block size-2.5 rounded-sm"
              style={statusFillStyle(entry.status)}
            />
            <span aria-hidden="true" className="text-[10px]">
              {STATUS_PRESENTATION[entry.status].glyph}
            </span>
            <span>
              {statusLabel(entry.status)}: <span className="font-semibold">{entry.count}</span>{' '}
              <span className="text-muted">({Math.round(entry.share * 100)}%)</span>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
