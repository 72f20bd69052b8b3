import { useQuery } from '@tanstack/react-query';
import type { Run } from '../../../shared/openai-types';
import { isActiveStatus } from '../../../shared/openai-types';
import { runRecordQueries } from '../../api/run-record-queries';
import { formatExactTime } from '../../lib/format-time';
import { ErrorState } from '../../ui/error-state';
import { SkeletonRows } from '../../ui/skeleton';
import { MessageBody } from './message-body';

/** What the run answered: the assistant messages it wrote, shown first in the panel of an ended run. */
export function RunReplySection({ run }: { run: Run }) {
  const messages = useQuery(runRecordQueries.messages(run.thread_id, isActiveStatus(run.status)));
  const reply = messages.data?.filter((message) => message.run_id === run.id && message.role === 'assistant');
  return (
    <section aria-label="Reply" className="border-b border-line px-4 py-3">
      <h3 className="mb-2 text-xs font-semibold tracking-wide text-muted uppercase">
        {run.status === 'incomplete' ? 'Reply (cut short)' : 'Reply'}
      </h3>
      {messages.error ? (
        <ErrorState
          title="Cannot load the reply"
          error={messages.error}
          onRetry={() => void messages.refetch()}
        />
      ) : !reply ? (
        <SkeletonRows rows={2} label="Loading the reply" />
      ) : reply.length === 0 ? (
        <p className="text-xs text-muted">This run wrote no message.</p>
      ) : (
        <ol className="flex flex-col gap-2">
          {reply.map((message) => (
            <li
              key={message.id}
              aria-label={`Reply ${message.id}`}
              className="rounded-md border border-line bg-raised p-2"
            >
              <MessageBody message={message} className="text-[13px] whitespace-pre-wrap" />
              <p className="mt-1 flex flex-wrap gap-x-2 text-[11px] text-muted">
                <span className="font-mono">{message.id}</span>
                <span>{formatExactTime(message.created_at)}</span>
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
