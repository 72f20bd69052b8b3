import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../../api/api-error';
import { threadQueries } from '../../api/thread-queries';

/** The server answered that the thread does not exist (404); false while it is asked, or for any other answer. */
export function useThreadMissing(threadId: string): boolean {
  const thread = useQuery({ ...threadQueries.detail(threadId), retry: false });
  return thread.error instanceof ApiError && thread.error.status === 404;
}
