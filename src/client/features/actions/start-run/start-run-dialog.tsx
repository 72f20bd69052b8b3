import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Assistant, FunctionTool, Run } from '../../../../shared/openai-types';
import { assistantQueries } from '../../../api/assistant-queries';
import { storeRun } from '../../../api/run-queries';
import { useNavigate } from '../../../hooks/use-view-state';
import { Button } from '../../../ui/button';
import { Dialog } from '../../../ui/dialog';
import { fieldClass, FormAlert, FormField } from '../../../ui/form-field';
import { MetadataPairsEditor } from '../metadata/metadata-pairs-editor';
import { createRun } from '../../../api/run-mutations';
import { refreshThreadRuns } from '../../../api/run-cache';
import { AssistantPicker } from './assistant-picker';
import type { StartRunFields } from './start-run-fields';
import { checkStartRun, EMPTY_START_RUN_FIELDS } from './start-run-fields';
import { ThreadLockNotice } from './thread-lock-notice';
import { useThreadLock } from './use-thread-lock';

const selectAssistants = (list: { data: Assistant[] }) => list.data;

/** Starts a run on a thread: an assistant, and any of CreateRunRequest's overrides. */
export function StartRunDialog({
  threadId,
  open,
  onClose,
}: {
  threadId: string;
  open: boolean;
  onClose: () => void;
}) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="lg"
      title="Start a run"
      description={
        <span>
          On <span className="font-mono text-xs text-fg">{threadId}</span>. Empty fields keep the assistant’s
          defaults.
        </span>
      }
    >
      <StartRunForm threadId={threadId} onDone={onClose} />
    </Dialog>
  );
}

function StartRunForm({ threadId, onDone }: { threadId: string; onDone: () => void }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [fields, setFields] = useState<StartRunFields>(EMPTY_START_RUN_FIELDS);
  const [attempted, setAttempted] = useState(false);
  const lock = useThreadLock(threadId);
  const assistants = useQuery({ ...assistantQueries.list(), select: selectAssistants });
  const assistant = assistants.data?.find((candidate) => candidate.id === fields.assistantId);
  const functionNames = (assistant?.tools ?? [])
    .filter((tool): tool is FunctionTool => tool.type === 'function')
    .map((tool) => tool.function.name);

  const start = useMutation({
    mutationFn: (request: NonNullable<ReturnType<typeof checkStartRun>['request']>) =>
      createRun(threadId, request),
    onSuccess: (run: Run) => {
      storeRun(client, run, 'created');
      navigate({ thread: threadId, run: run.id });
      onDone();
    },
    onSettled: () => refreshThreadRuns(client, threadId),
  });

  const check = checkStartRun(fields);
  const set = <K extends keyof StartRunFields>(key: K, value: StartRunFields[K]) => {
    setFields((previous) => ({ ...previous, [key]: value }));
    if (start.isError) start.reset();
  };
  const shown = (key: keyof typeof check.errors) =>
    attempted || fields[key] !== '' ? check.errors[key] : undefined;

  return (
    <form
      aria-label="Start a run"
      noValidate
      className="flex flex-col gap-4"
      onSubmit={(event) => {
        event.preventDefault();
        setAttempted(true);
        if (check.request && !lock && !start.isPending) start.mutate(check.request);
      }}
    >
      {lock && (
        <ThreadLockNotice
          run={lock}
          onOpen={() => {
            navigate({ thread: threadId, run: lock.id });
            onDone();
          }}
        />
      )}
      <AssistantPicker
        value={fields.assistantId}
        onChange={(assistantId) => set('assistantId', assistantId)}
        error={attempted ? check.errors.assistantId : undefined}
      />
      <TextArea
        label="Additional user message"
        hint="Added to the thread before the run starts (additional_messages)."
        value={fields.additionalMessage}
        onChange={(value) => set('additionalMessage', value)}
      />

      <details className="rounded-md border border-line">
        <summary className="cursor-pointer px-3 py-2 text-xs font-medium select-none">Overrides</summary>
        <div className="flex flex-col gap-3 border-t border-line p-3">
          <TextInput
            label="Model"
            placeholder={assistant ? assistant.model : 'the assistant’s model'}
            value={fields.model}
            onChange={(value) => set('model', value)}
          />
          <TextArea
            label="Instructions"
            hint="Replaces the assistant’s instructions for this run."
            value={fields.instructions}
            onChange={(value) => set('instructions', value)}
          />
          <TextArea
            label="Additional instructions"
            hint="Appended to the instructions for this run."
            value={fields.additionalInstructions}
            onChange={(value) => set('additionalInstructions', value)}
          />
          <div className="grid grid-cols-2 gap-3">
            <TextInput
              label="Temperature"
              hint="0 to 2"
              inputMode="decimal"
              value={fields.temperature}
              error={shown('temperature')}
              onChange={(value) => set('temperature', value)}
            />
            <TextInput
              label="Top p"
              hint="0 to 1"
              inputMode="decimal"
              value={fields.topP}
              error={shown('topP')}
              onChange={(value) => set('topP', value)}
            />
            <TextInput
              label="Max prompt tokens"
              hint="at least 256"
              inputMode="numeric"
              value={fields.maxPromptTokens}
              error={shown('maxPromptTokens')}
              onChange={(value) => set('maxPromptTokens', value)}
            />
            <TextInput
              label="Max completion tokens"
              hint="at least 256"
              inputMode="numeric"
              value={fields.maxCompletionTokens}
              error={shown('maxCompletionTokens')}
              onChange={(value) => set('maxCompletionTokens', value)}
            />
            <Select
              label="Truncation strategy"
              value={fields.truncation}
              onChange={(value) => set('truncation', value as StartRunFields['truncation'])}
              options={[
                ['default', 'Default'],
                ['auto', 'auto'],
                ['last_messages', 'last_messages'],
              ]}
            />
            {fields.truncation === 'last_messages' ? (
              <TextInput
                label="Last messages to keep"
                inputMode="numeric"
                value={fields.lastMessages}
                error={shown('lastMessages')}
                onChange={(value) => set('lastMessages', value)}
              />
            ) : (
              <span />
            )}
            <Select
              label="Tool choice"
              value={fields.toolChoice}
              onChange={(value) => set('toolChoice', value)}
              options={[
                ['default', 'Default'],
                ['auto', 'auto'],
                ['none', 'none'],
                ['required', 'required'],
                ...functionNames.map((name): [string, string] => [`function:${name}`, `function: ${name}`]),
              ]}
            />
            <Select
              label="Parallel tool calls"
              value={fields.parallelToolCalls}
              onChange={(value) => set('parallelToolCalls', value as StartRunFields['parallelToolCalls'])}
              options={[
                ['default', 'Default (on)'],
                ['true', 'On'],
                ['false', 'Off'],
              ]}
            />
          </div>
          <div className="flex flex-col gap-1">
            <span className="text-xs font-medium">Metadata</span>
            <MetadataPairsEditor
              rows={fields.metadata}
              onChange={(rows) => set('metadata', rows)}
              problems={check.metadata}
            />
          </div>
        </div>
      </details>

      {attempted && !check.request && (
        <p role="alert" className="text-xs text-status-danger">
          Fix the fields marked above; nothing was sent.
        </p>
      )}
      {start.error && <FormAlert>The run was not started: {start.error.message}</FormAlert>}
      <div className="flex justify-end gap-2">
        <Button onClick={onDone} disabled={start.isPending}>
          Close
        </Button>
        <Button type="submit" variant="primary" disabled={start.isPending || lock !== null}>
          {start.isPending ? 'Starting…' : 'Start run'}
        </Button>
      </div>
    </form>
  );
}

function TextInput(props: {
  label: string;
  hint?: string;
  error?: string;
  placeholder?: string;
  inputMode?: 'decimal' | 'numeric';
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <FormField label={props.label} hint={props.hint} error={props.error}>
      {({ inputId, describedBy }) => (
        <input
          id={inputId}
          aria-describedby={describedBy}
          aria-invalid={props.error ? true : undefined}
          inputMode={props.inputMode}
          placeholder={props.placeholder}
          value={props.value}
          onChange={(event) => props.onChange(event.target.value)}
          className={`h-8 ${fieldClass}`}
        />
      )}
    </FormField>
  );
}

function TextArea(props: { label: string; hint?: string; value: string; onChange: (value: string) => void }) {
  return (
    <FormField label={props.label} hint={props.hint}>
      {({ inputId, describedBy }) => (
        <textarea
          id={inputId}
          aria-describedby={describedBy}
          rows={2}
          value={props.value}
          onChange={(event) => props.onChange(event.target.value)}
          className={`resize-y py-1.5 ${fieldClass}`}
        />
      )}
    </FormField>
  );
}

function Select(props: {
  label: string;
  value: string;
  options: Array<[value: string, label: string]>;
  onChange: (value: string) => void;
}) {
  return (
    <FormField label={props.label}>
      {({ inputId }) => (
        <select
          id={inputId}
          value={props.value}
          onChange={(event) => props.onChange(event.target.value)}
          className={`h-8 ${fieldClass}`}
        >
          {props.options.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      )}
    </FormField>
  );
}
