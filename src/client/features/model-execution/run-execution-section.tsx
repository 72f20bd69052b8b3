import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { Message, Run } from '../../../shared/openai-types';
import { isActiveStatus } from '../../../shared/openai-types';
import type { ModelCall } from '../../../shared/runboard-types';
import { executionQueries } from '../../api/execution-queries';
import { formatTokens } from '../../lib/format-tokens';
import { ErrorState } from '../../ui/error-state';
import { SkeletonRows } from '../../ui/skeleton';
import { modelCallLabel } from './model-call-label';

/**
 * Who executes the run and, for a model, which upstream model, the answer as it grows and each model call
 * (latency, tokens, outcome). Emulator mode only: the execution lives in the emulator.
 */
export function RunExecutionSection({ run }: { run: Run }) {
  const active = isActiveStatus(run.status);
  const execution = useQuery(executionQueries.execution(run.thread_id, run.id, active));
  const byModel = execution.data?.executor === 'model';
  const messages = useQuery({
    ...executionQueries.runMessages(run.thread_id, run.id, byModel && run.status === 'in_progress'),
    enabled: byModel,
  });
  // Polling stops when the run ends; the last poll may predate the end (the last call still in flight).
  const wasActive = useRef(active);
  const { refetch } = execution;
  useEffect(() => {
    if (wasActive.current && !active) void refetch();
    wasActive.current = active;
  }, [active, refetch]);
  return (
    <section aria-label="Execution" className="border-b border-line px-4 py-3">
      <h3 className="mb-2 text-xs font-semibold tracking-wide text-muted uppercase">Execution</h3>
      {execution.error ? (
        <ErrorState
          title="Cannot load the execution"
          error={execution.error}
          onRetry={() => void execution.refetch()}
        />
      ) : !execution.data ? (
        <SkeletonRows rows={2} label="Loading execution" />
      ) : (
        <>
          <dl className="grid grid-cols-[8rem_1fr] gap-y-1 text-xs">
            <dt className="text-muted">Executor</dt>
            <dd data-testid="run-executor">{byModel ? 'Model' : 'Scripted (emulator)'}</dd>
            {byModel && (
              <>
                <dt className="text-muted">Upstream model</dt>
                <dd className="font-mono">{execution.data.upstream_model ?? 'chosen when the run starts'}</dd>
              </>
            )}
          </dl>
          {byModel && <AnswerSoFar messages={messages.data} writing={run.status === 'in_progress'} />}
          {byModel && <ModelCalls calls={execution.data.model_calls} />}
        </>
      )}
    </section>
  );
}

function AnswerSoFar({ messages, writing }: { messages: Message[] | undefined; writing: boolean }) {
  const growing = messages?.findLast((message) => message.status === 'in_progress');
  if (!writing || !growing) return null;
  const text = growing.content.map((part) => part.text.value).join('');
  return (
    <div className="mt-2">
      <p className="text-[11px] text-muted">Answer so far</p>
      <p
        aria-label="Answer so far"
        aria-live="polite"
        className="rounded bg-raised p-2 text-xs whitespace-pre-wrap"
      >
        {text || '…'}
      </p>
    </div>
  );
}

function ModelCalls({ calls }: { calls: ModelCall[] }) {
  if (calls.length === 0) return <p className="mt-2 text-xs text-faint">No model call yet</p>;
  return (
    <table aria-label="Model calls" className="mt-2 w-full text-left text-[11px]">
      <thead className="text-muted">
        <tr>
          <th scope="col" className="font-normal">
            Call
          </th>
          <th scope="col" className="font-normal">
            Outcome
          </th>
          <th scope="col" className="text-right font-normal">
            Latency
          </th>
          <th scope="col" className="text-right font-normal">
            Tokens in / out
          </th>
        </tr>
      </thead>
      <tbody>
        {calls.map((call) => (
          <tr key={call.id} className="border-t border-line" title={call.error ?? undefined}>
            <td className="font-mono">
              {call.turn}
              {call.attempt > 1 && <span className="text-faint"> · retry {call.attempt - 1}</span>}
            </td>
            <td>
              {modelCallLabel(call.outcome)}
              {call.http_status !== null && call.http_status !== 200 && (
                <span className="font-mono text-faint"> ({call.http_status})</span>
              )}
            </td>
            <td className="text-right font-mono">
              {call.latency_ms === null ? '…' : `${call.latency_ms} ms`}
            </td>
            <td className="text-right font-mono">
              {call.prompt_tokens === null
                ? '—'
                : `${formatTokens(call.prompt_tokens)} / ${formatTokens(call.completion_tokens ?? 0)}`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
