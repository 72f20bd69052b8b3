import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { InfiniteData } from '@tanstack/react-query';
import type { Thread } from '../../shared/openai-types';
import type { ThreadSummariesPage } from '../../shared/runs-query-types';
import { threadKeys, threadQueries } from './thread-queries';

/** Metadata keys read first as a thread's name, when present. */
const NAME_KEYS = ['name', 'title', 'label', 'customer', 'topic'];

/** A thread's label: its metadata values (a name-like key first), "·"-separated; null when it has no metadata. */
export function threadLabel(thread: Pick<Thread, 'metadata'> | undefined): string | null {
  const entries = Object.entries(thread?.metadata ?? {}).filter(([, value]) => value.trim() !== '');
  if (entries.length === 0) return null;
  const rank = (key: string) => {
    const index = NAME_KEYS.indexOf(key.toLowerCase());
    return index < 0 ? NAME_KEYS.length : index;
  };
  return [...entries]
    .sort((a, b) => rank(a[0]) - rank(b[0]))
    .map(([, value]) => value)
    .join(' · ');
}

/** The label of a thread, from the thread lists when they hold it, otherwise from `GET /v1/threads/{id}` (cached). */
export function useThreadLabel(threadId: string): string | null {
  const client = useQueryClient();
  const thread = useQuery({
    ...threadQueries.detail(threadId),
    initialData: () => {
      for (const [, lists] of client.getQueriesData<InfiniteData<ThreadSummariesPage>>({
        queryKey: threadKeys.summaries(),
      })) {
        for (const page of lists?.pages ?? []) {
          const summary = page.data.find((listed) => listed.thread.id === threadId);
          if (summary) return summary.thread;
        }
      }
      return undefined;
    },
  });
  return threadLabel(thread.data);
}
