import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { Run, RunStep } from '../../../shared/openai-types';
import { isActiveStatus } from '../../../shared/openai-types';
import { runRecordQueries } from '../../api/run-record-queries';
import { formatExactTime } from '../../lib/format-time';
import { ErrorState } from '../../ui/error-state';
import { SkeletonRows } from '../../ui/skeleton';
import { messageText, messagesAroundRun } from './messages-around-run';

/** The run's steps (messages written, tool calls with arguments and submitted outputs), then the messages around it. */
export function RunStepsSection({ run }: { run: Run }) {
  const active = isActiveStatus(run.status);
  const steps = useQuery(runRecordQueries.steps(run.thread_id, run.id, active));
  const messages = useQuery(runRecordQueries.messages(run.thread_id, active));
  const around = messages.data ? messagesAroundRun(messages.data, run) : [];
  // Polling stops when the run ends, and its last poll may predate the end (a reply still growing, or not yet
  // written): read both once more when the run leaves the active states.
  const wasActive = useRef(active);
  const { refetch: refetchSteps } = steps;
  const { refetch: refetchMessages } = messages;
  useEffect(() => {
    if (wasActive.current && !active) {
      void refetchSteps();
      void refetchMessages();
    }
    wasActive.current = active;
  }, [active, refetchSteps, refetchMessages]);
  return (
    <>
      <section aria-label="Steps" className="border-b border-line px-4 py-3">
        <h3 className="mb-2 text-xs font-semibold tracking-wide text-muted uppercase">Steps</h3>
        {steps.data ? (
          steps.data.data.length === 0 ? (
            <p className="text-xs text-faint">No step yet</p>
          ) : (
            <ol className="flex flex-col gap-2">
              {steps.data.data.map((step) => (
                <StepItem
                  key={step.id}
                  step={step}
                  messageOf={(id) => messages.data?.find((m) => m.id === id)}
                />
              ))}
            </ol>
          )
        ) : steps.error ? (
          <ErrorState
            title="Cannot load the steps"
            error={steps.error}
            onRetry={() => void steps.refetch()}
          />
        ) : (
          <SkeletonRows rows={2} label="Loading steps" />
        )}
      </section>
      <section aria-label="Messages" className="border-b border-line px-4 py-3">
        <h3 className="mb-2 text-xs font-semibold tracking-wide text-muted uppercase">Messages</h3>
        {messages.error ? (
          <ErrorState
            title="Cannot load the messages"
            error={messages.error}
            onRetry={() => void messages.refetch()}
          />
        ) : !messages.data ? (
          <SkeletonRows rows={2} label="Loading messages" />
        ) : around.length === 0 ? (
          <p className="text-xs text-faint">No message before or from this run</p>
        ) : (
          <ol className="flex flex-col gap-2">
            {around.map((message) => (
              <li
                key={message.id}
                aria-label={`${message.role} message ${message.id}`}
                className={`rounded-md p-2 text-xs ${message.run_id === run.id ? 'bg-accent/10' : 'bg-raised'}`}
              >
                <div className="mb-1 flex items-center gap-2 text-[11px] text-muted">
                  <span className="font-semibold">{message.role}</span>
                  <span className="font-mono text-faint">{message.id}</span>
                  <span className="ml-auto">{formatExactTime(message.created_at)}</span>
                </div>
                <p className="whitespace-pre-wrap">{messageText(message) || '(empty)'}</p>
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}

function StepItem({
  step,
  messageOf,
}: {
  step: RunStep;
  messageOf: (id: string) => { id: string } | undefined;
}) {
  const details = step.step_details;
  return (
    <li aria-label={`Step ${step.id}`} className="rounded-md border border-line p-2 text-xs">
      <div className="flex items-center gap-2">
        <span className="font-semibold">
          {details.type === 'tool_calls' ? 'Tool calls' : 'Message creation'}
        </span>
        <span className="font-mono text-[11px] text-faint">{step.id}</span>
        <span className="ml-auto font-mono text-[11px]">{step.status}</span>
      </div>
      {details.type === 'message_creation' ? (
        <p className="mt-1 text-muted">
          Wrote message <span className="font-mono">{details.message_creation.message_id}</span>
          {!messageOf(details.message_creation.message_id) && ' (not among the newest messages)'}
        </p>
      ) : (
        <ul className="mt-1 flex flex-col gap-1.5">
          {details.tool_calls.map((call) =>
            call.type === 'file_search' ? (
              <li key={call.id} aria-label={`File search ${call.id}`}>
                <p>
                  <span className="font-mono font-semibold">file_search</span>{' '}
                  <span className="font-mono text-[11px] text-faint">{call.id}</span>
                </p>
                <p className="text-[11px] text-muted">
                  {(call.file_search.results ?? []).length} results
                  {(call.file_search.queries ?? []).length > 0 &&
                    ` for ${(call.file_search.queries ?? []).map((query) => `“${query}”`).join(', ')}`}
                </p>
              </li>
            ) : (
              <li key={call.id} aria-label={`Tool call ${call.function.name}`}>
                <p>
                  <span className="font-mono font-semibold">{call.function.name}</span>{' '}
                  <span className="font-mono text-[11px] text-faint">{call.id}</span>
                </p>
                <p className="text-[11px] text-muted">Arguments</p>
                <pre
                  tabIndex={0}
                  aria-label={`Arguments of ${call.function.name} (${call.id})`}
                  className="overflow-x-auto rounded bg-raised p-1 font-mono text-[11px]"
                >
                  {call.function.arguments}
                </pre>
                <p className="text-[11px] text-muted">Output submitted</p>
                {call.function.output === null ? (
                  <p className="text-faint">Not submitted yet</p>
                ) : (
                  <pre
                    tabIndex={0}
                    aria-label={`Output submitted for ${call.function.name} (${call.id})`}
                    className="overflow-x-auto rounded bg-raised p-1 font-mono text-[11px]"
                  >
                    {call.function.output}
                  </pre>
                )}
              </li>
            ),
          )}
        </ul>
      )}
    </li>
  );
}
