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

export function ProxyScopeNote({ scope, className }: { scope: ProxyScope | undefined; className?: string }) {
  if (!scope) return null;
  return (
    <p aria-label="What this view covers" className={className ?? 'text-xs text-muted'}>
      {proxyScopeText(scope)}
    </p>
  );
}
