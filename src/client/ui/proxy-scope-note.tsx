import type { ProxyScope } from '../../shared/runs-query-types';
import { formatExactTime } from '../lib/format-time';

/**
 * Proxy mode: says which threads a view covers (an upstream cannot list threads, so only those seen through this
 * proxy and those watched by hand are known), since when, and how many idle ones left to stay within the limit.
 */
export function proxyScopeText(scope: ProxyScope): string {
  const hand = scope.hand_watched_threads;
  const handText = hand > 0 ? `, ${hand.toLocaleString('en')} of them watched by hand` : '';
  const threads = `${scope.watched_threads.toLocaleString('en')} thread${scope.watched_threads === 1 ? '' : 's'}`;
  const evicted =
    scope.evicted_threads > 0
      ? ` ${scope.evicted_threads.toLocaleString('en')} idle thread${scope.evicted_threads === 1 ? '' : 's'} left ` +
        `to stay within ${scope.max_threads.toLocaleString('en')} watched (the longest idle first).`
      : '';
  if (!scope.discovery)
    return `Only the threads watched by hand (${threads}): finding threads in this proxy's traffic is off.${evicted}`;
  if (scope.seen_since === null)
    return `Threads seen through this proxy: none yet${handText ? ` (${threads}${handText})` : ''}. Runs your agents start through it appear here at once.`;
  return `Threads seen through this proxy since ${formatExactTime(scope.seen_since / 1000)} (${threads}${handText}).${evicted}`;
}

/** The same in a few words, for a narrow column (the whole sentence is its tooltip). */
export function proxyScopeShortText(scope: ProxyScope): string {
  const hand = scope.hand_watched_threads > 0 ? ` (${scope.hand_watched_threads} by hand)` : '';
  const threads = `${scope.watched_threads.toLocaleString('en')} watched${hand}`;
  const evicted =
    scope.evicted_threads > 0 ? ` · ${scope.evicted_threads.toLocaleString('en')} idle let go` : '';
  if (!scope.discovery) return `Watched by hand only: ${threads}${evicted}`;
  if (scope.seen_since === null) return 'Seen through this proxy: none yet';
  return `Seen through this proxy since ${formatExactTime(scope.seen_since / 1000)} · ${threads}${evicted}`;
}

export function ProxyScopeNote({
  scope,
  short = false,
  className,
}: {
  scope: ProxyScope | undefined;
  short?: boolean;
  className?: string;
}) {
  if (!scope) return null;
  const text = proxyScopeText(scope);
  return (
    <p
      aria-label="What this view covers"
      title={short ? text : undefined}
      className={className ?? 'text-xs text-muted'}
    >
      {short ? proxyScopeShortText(scope) : text}
    </p>
  );
}
