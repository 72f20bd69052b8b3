import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { Run, RunToolCall, ToolOutput } from '../../../../shared/openai-types';
import { storeRun } from '../../../api/run-queries';
import { Button } from '../../../ui/button';
import { FormAlert } from '../../../ui/form-field';
import { Kbd } from '../../../ui/kbd';
import { submitToolOutputs } from '../../../api/run-mutations';
import { holdRunPolls, refreshThreadRuns } from '../../../api/run-cache';
import { ExpiryCountdown } from './expiry-countdown';
import { ToolOutputField } from './tool-output-field';
import { callsWithoutOutput, markSubmitted, readDraft, saveDraft, toToolOutputs } from './tool-outputs-draft';

/**
 * The tool outputs of a run in `requires_action`, written by hand. The text is local state seeded once from the
 * session draft (polling never resets it) and saved back on every keystroke.
 */
export function ToolOutputsForm({ run, calls }: { run: Run; calls: RunToolCall[] }) {
  const client = useQueryClient();
  const [outputs, setOutputs] = useState<Record<string, string>>(() => readDraft(run.id)?.outputs ?? {});
  // A second Ctrl+Enter can arrive before React re-renders the disabled button: one request per submit.
  const inFlight = useRef(false);

  const submit = useMutation({
    mutationFn: (toolOutputs: ToolOutput[]) => submitToolOutputs(run.thread_id, run.id, toolOutputs),
    onMutate: () => holdRunPolls(client, run.thread_id, run.id),
    onSuccess: (updated) => {
      markSubmitted(run.id);
      storeRun(client, updated);
    },
    // After a success the form stays locked: the run has moved on even if a poll has not said so yet.
    onError: () => {
      inFlight.current = false;
    },
    onSettled: () => refreshThreadRuns(client, run.thread_id),
  });

  const missing = callsWithoutOutput(calls, outputs);
  const ready = missing.length === 0;

  function change(callId: string, value: string) {
    setOutputs((previous) => {
      const next = { ...previous, [callId]: value };
      saveDraft({ runId: run.id, calls, outputs: next });
      return next;
    });
    if (submit.isError) submit.reset();
  }

  function send() {
    if (!ready || inFlight.current) return;
    inFlight.current = true;
    submit.mutate(toToolOutputs(calls, outputs));
  }

  return (
    <form
      aria-label="Tool outputs"
      className="flex flex-col gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          send();
        }
      }}
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-xs text-muted">
          {calls.length} tool call{calls.length === 1 ? '' : 's'} to answer: write each output, then submit
          them together.
        </p>
        <ExpiryCountdown run={run} />
      </div>
      {calls.map((call) => (
        <ToolOutputField
          key={call.id}
          call={call}
          value={outputs[call.id] ?? ''}
          onChange={(value) => change(call.id, value)}
          readOnly={submit.isPending || submit.isSuccess}
        />
      ))}
      {submit.error && (
        <FormAlert>The outputs were not accepted: {submit.error.message} Your draft is kept.</FormAlert>
      )}
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="min-w-0 flex-1 text-[11px] text-muted">
          {ready
            ? 'Every call has an output. Draft kept for this browser session until it is sent.'
            : `${missing.length} of ${calls.length} call${calls.length === 1 ? '' : 's'} still without output: all outputs go in one request.`}
        </p>
        <Button
          type="submit"
          variant="primary"
          disabled={!ready || submit.isPending || submit.isSuccess}
          aria-keyshortcuts="Control+Enter Meta+Enter"
        >
          {submit.isPending ? 'Submitting…' : submit.isSuccess ? 'Submitted' : 'Submit tool outputs'}
          <span aria-hidden="true" className="ml-1 opacity-80">
            <Kbd>Ctrl ↵</Kbd>
          </span>
        </Button>
      </div>
    </form>
  );
}
