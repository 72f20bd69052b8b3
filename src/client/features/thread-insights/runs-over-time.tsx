import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { RUN_STATUSES, type RunStatus } from '../../../shared/openai-types';
import type { RunsQuery, RunsTimeseries, RunsTimeseriesBucket } from '../../../shared/runs-query-types';
import { timeseriesQueries } from '../../api/timeseries-queries';
import { backendNow } from '../../lib/backend-clock';
import { formatMoment } from '../../lib/format-time';
import { formatTokens, formatTokensCompact } from '../../lib/format-tokens';
import { useNow } from '../../hooks/use-now';
import { useTimeFormat } from '../../hooks/use-time-format';
import { failureRate, formatCount } from '../../lib/run-vocabulary';
import { Button } from '../../ui/button';
import { ErrorState } from '../../ui/error-state';
import { statusFillStyle, statusLabel } from '../../ui/status-badge';
import { StatusSwatch } from './status-swatch';
import { formatBucketStart, formatInterval, rangeQuery, TIME_RANGES, type TimeRangeId } from './time-range';

const percent = (rate: number | null) =>
  rate === null ? '—' : `${(rate * 100).toFixed(rate < 0.1 ? 1 : 0)}%`;

/**
 * Runs per interval over a chosen range, stacked by status, with the failure rate as a line and the tokens as bars
 * under it: the server's answer for the whole scope (GET /api/runs/timeseries). The drawing is for the eye; its
 * summary line and the table under it say the same in words.
 */
export function RunsOverTime({ scope }: { scope: RunsQuery }) {
  const [rangeId, setRangeId] = useState<TimeRangeId>('7d');
  // Taken when the range is chosen, so the query (its cache entry) stays put while the dialog is open.
  const range = useMemo(() => rangeQuery(rangeId, backendNow()), [rangeId]);
  const series = useQuery(timeseriesQueries.series(scope, range));
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <div role="group" aria-label="Range" className="flex rounded-md border border-line-strong p-0.5">
          {TIME_RANGES.map((option) => (
            <Button
              key={option.id}
              size="sm"
              variant={option.id === rangeId ? 'primary' : 'ghost'}
              aria-pressed={option.id === rangeId}
              onClick={() => setRangeId(option.id)}
            >
              {option.label}
            </Button>
          ))}
        </div>
        {series.isFetching && series.data && (
          <span role="status" className="text-[11px] text-muted">
            Updating…
          </span>
        )}
      </div>
      {series.error && !series.data ? (
        <ErrorState
          title="Cannot load the runs over time"
          error={series.error}
          onRetry={() => series.refetch()}
        />
      ) : !series.data ? (
        <p className="py-6 text-center text-muted">Loading the runs over time…</p>
      ) : (
        <SeriesChart series={series.data} />
      )}
    </div>
  );
}

function SeriesChart({ series }: { series: RunsTimeseries }) {
  const [pointed, setPointed] = useState<number | null>(null);
  // The range's ends and the axis read as every other time (the header's clock switch): "7d ago" or the zoned time.
  const [timeFormat] = useTimeFormat();
  const now = useNow(60_000);
  const moment = (at: number) => formatMoment(at, timeFormat, now);
  const present = RUN_STATUSES.filter((status) =>
    series.buckets.some((bucket) => bucket.by_status[status] > 0),
  );
  const sums = useMemo(() => totals(series.buckets), [series.buckets]);
  const maxRuns = Math.max(1, ...series.buckets.map((bucket) => bucket.total));
  const maxTokens = Math.max(1, ...series.buckets.map((bucket) => bucket.usage.total_tokens));
  const rates = series.buckets.map((bucket) => failureRate(bucket.by_status));
  const shown = pointed === null ? null : series.buckets[pointed];
  const first = series.buckets[0]!;
  const last = series.buckets.at(-1)!;

  return (
    <div className="flex flex-col gap-2">
      <p className="text-xs">
        <span className="text-lg font-semibold tabular-nums">{formatCount(series.total)}</span> run
        {series.total === 1 ? '' : 's'}
        <span className="text-muted">
          {' '}
          from {moment(series.start)} to {moment(series.end)} · failure rate{' '}
          {percent(failureRate(sums.byStatus))} · {formatTokens(sums.tokens)} tokens · one bar per{' '}
          {formatInterval(series.interval)}
        </span>
      </p>
      {series.total === 0 ? (
        <p role="status" className="py-4 text-center text-muted">
          No run was created in this range.
        </p>
      ) : (
        <>
          <div aria-hidden="true" className="flex flex-col gap-1" onMouseLeave={() => setPointed(null)}>
            <div className="flex justify-between text-[10px] text-faint tabular-nums">
              <span>{formatCount(maxRuns)} runs</span>
              <span className="flex items-center gap-1">
                <span className="inline-block h-0.5 w-3 bg-fg" /> failure rate (top: 100%)
              </span>
            </div>
            <div className="relative flex h-36 items-end gap-px border-b border-line-strong">
              {series.buckets.map((bucket, index) => (
                <div
                  key={bucket.start}
                  data-bucket={bucket.start}
                  onMouseEnter={() => setPointed(index)}
                  className={`relative flex h-full min-w-0 flex-1 flex-col-reverse ${pointed === index ? 'bg-accent/10' : ''}`}
                >
                  {rates[index] !== null && (
                    <span
                      data-failure-rate={rates[index]}
                      className="absolute inset-x-0 z-10 h-0.5 bg-fg ring-1 ring-surface"
                      style={{ bottom: `calc(${rates[index]! * 100}% - 1px)` }}
                    />
                  )}
                  {RUN_STATUSES.map((status) =>
                    bucket.by_status[status] > 0 ? (
                      <span
                        key={status}
                        data-status={status}
                        className="block w-full shrink-0"
                        style={{
                          ...statusFillStyle(status),
                          height: `${(bucket.by_status[status] / maxRuns) * 100}%`,
                        }}
                      />
                    ) : null,
                  )}
                </div>
              ))}
            </div>
            <div className="flex h-10 items-end gap-px border-b border-line">
              {series.buckets.map((bucket, index) => (
                <div
                  key={bucket.start}
                  onMouseEnter={() => setPointed(index)}
                  className={`flex h-full min-w-0 flex-1 items-end ${pointed === index ? 'bg-accent/10' : ''}`}
                >
                  <span
                    className="block w-full bg-accent opacity-70"
                    style={{ height: `${(bucket.usage.total_tokens / maxTokens) * 100}%` }}
                  />
                </div>
              ))}
            </div>
            <div
              data-axis="time"
              className="flex flex-wrap justify-between gap-x-2 text-[10px] text-faint tabular-nums"
            >
              <span>{moment(first.start)}</span>
              <span className="max-sm:order-last max-sm:w-full max-sm:text-center">
                tokens, top {formatTokensCompact(maxTokens)}
              </span>
              <span>{moment(last.start)}</span>
            </div>
          </div>
          <div
            aria-hidden="true"
            className="min-h-10 rounded-md border border-line bg-raised px-2 py-1.5 text-[11px] tabular-nums"
          >
            {shown ? (
              <>
                <span className="font-semibold">{formatBucketStart(shown.start, series.interval)}</span> ·{' '}
                {formatCount(shown.total)} runs · failure rate {percent(failureRate(shown.by_status))} ·{' '}
                {formatTokens(shown.usage.total_tokens)} tokens
                <span className="block text-muted">
                  {present
                    .filter((status) => shown.by_status[status] > 0)
                    .map((status) => `${statusLabel(status)} ${formatCount(shown.by_status[status])}`)
                    .join(' · ') || 'No runs'}
                </span>
              </>
            ) : (
              <span className="text-muted">
                Point at a bar to see its runs; the table below lists them all.
              </span>
            )}
          </div>
          <ul aria-label="Chart legend" className="flex flex-wrap gap-x-3 gap-y-1 text-[11px] text-muted">
            {present.map((status) => (
              <li key={status} className="flex items-center gap-1">
                <StatusSwatch status={status} />
              </li>
            ))}
          </ul>
          <details className="text-xs">
            <summary className="cursor-pointer text-muted">Runs over time as a table</summary>
            <SeriesTable series={series} present={present} />
          </details>
        </>
      )}
    </div>
  );
}

function SeriesTable({ series, present }: { series: RunsTimeseries; present: RunStatus[] }) {
  const rows = series.buckets.filter((bucket) => bucket.total > 0);
  return (
    <div className="mt-2 overflow-x-auto">
      <table className="w-full tabular-nums">
        <caption className="sr-only">
          Runs per {formatInterval(series.interval)}, by status, with the failure rate and the tokens;
          intervals without runs left out.
        </caption>
        <thead className="text-left text-muted">
          <tr>
            <th className="py-1 pr-2 font-medium">From</th>
            <th className="py-1 pr-2 text-right font-medium">Runs</th>
            {present.map((status) => (
              <th key={status} className="py-1 pr-2 text-right font-medium">
                {statusLabel(status)}
              </th>
            ))}
            <th className="py-1 pr-2 text-right font-medium">Failure rate</th>
            <th className="py-1 text-right font-medium">Tokens</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((bucket) => (
            <tr key={bucket.start} className="border-t border-line">
              <td className="py-1 pr-2 whitespace-nowrap">
                {formatBucketStart(bucket.start, series.interval)}
              </td>
              <td className="py-1 pr-2 text-right font-semibold">{formatCount(bucket.total)}</td>
              {present.map((status) => (
                <td key={status} className="py-1 pr-2 text-right">
                  {formatCount(bucket.by_status[status])}
                </td>
              ))}
              <td className="py-1 pr-2 text-right">{percent(failureRate(bucket.by_status))}</td>
              <td className="py-1 text-right">{formatTokens(bucket.usage.total_tokens)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function totals(buckets: readonly RunsTimeseriesBucket[]) {
  const byStatus = Object.fromEntries(RUN_STATUSES.map((status) => [status, 0])) as Record<RunStatus, number>;
  let tokens = 0;
  for (const bucket of buckets) {
    for (const status of RUN_STATUSES) byStatus[status] += bucket.by_status[status];
    tokens += bucket.usage.total_tokens;
  }
  return { byStatus, tokens };
}
