import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { Run } from '../../../shared/openai-types';
import type { IndexedRun } from '../../../shared/runs-query-types';
import { isActiveStatus } from '../../../shared/openai-types';
import { ApiError } from '../../api/api-error';
import { assistantLabel, assistantQueries } from '../../api/assistant-queries';
import { useThreadLabel } from '../../api/use-thread-label';
import { useNavigate } from '../../hooks/use-view-state';
import { formatTokens } from '../../lib/format-tokens';
import { Button } from '../../ui/button';
import { CopyButton } from '../../ui/copy-button';
import { ErrorState } from '../../ui/error-state';
import { JsonView } from '../../ui/json-view';
import { CloseIcon } from '../../ui/icons';
import { cx } from '../../ui/cx';
import { SkeletonRows } from '../../ui/skeleton';
import { StaleBanner } from '../../ui/stale-banner';
import { StatusBadge } from '../../ui/status-badge';
import { ThreadName } from '../../ui/thread-name';
import { RUN_STATE_MEANINGS } from '../../lib/run-state-meanings';
import { statusLabel } from '../../lib/run-vocabulary';
import { DetailSection, Field, Missing } from './detail-section';
import { RequiredActionView } from './required-action-view';
import { RunConfiguration } from './run-configuration';
import { RunTimeline } from './run-timeline';
import { useRun } from './use-run';
import { MetadataList } from '../../ui/metadata-list';

export interface RunDetailSlots {
  /** Controls for the header (e.g. cancel), composed by the app from other features. */
  renderHeaderActions?: (run: Run) => ReactNode;
  /**
   * The answer to a `requires_action` run (e.g. the tool outputs form, which shows each call's arguments), first in
   * the panel; once the run no longer waits, what became of outputs sent or drafted there.
   */
  renderRequiredAction?: (run: Run) => ReactNode;
  /** What an ended run produced (its reply), first in the panel. */
  renderResult?: (run: Run) => ReactNode;
  /** Replaces the read-only metadata list (e.g. an editor). */
  renderMetadata?: (run: Run) => ReactNode;
  /** Further sections before the raw JSON (steps, messages, audit trail), composed by the app. */
  renderSections?: (run: Run) => ReactNode;
}

/** Everything about one run. Escape closes it. Loaded on demand by run-detail-panel.tsx. */
export default function RunDetailContent({
  threadId,
  runId,
  ...slots
}: { threadId: string; runId: string } & RunDetailSlots) {
  const navigate = useNavigate();
  const close = () => navigate({ run: null });
  const result = useRun(threadId, runId);
  const scroller = useRef<HTMLDivElement>(null);

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, dialog, [contenteditable="true"]')) return;
      event.preventDefault();
      navigate({ run: null });
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [navigate]);

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex h-10 shrink-0 items-center justify-between border-b border-line px-4">
        <h2
          tabIndex={-1}
          data-focus-target="run-panel"
          aria-keyshortcuts="p"
          className="rounded text-xs font-semibold tracking-wide text-muted uppercase"
        >
          Run
        </h2>
        <Button size="sm" variant="ghost" aria-label="Close run detail" title="Close (Esc)" onClick={close}>
          Close <CloseIcon />
        </Button>
      </div>
      {result.run && result.isRefetchError && result.refetchError && (
        <StaleBanner
          what="this run"
          updatedAt={result.dataUpdatedAt}
          error={result.refetchError}
          onRetry={() => void result.refetch()}
        />
      )}
      <div ref={scroller} className="min-h-0 flex-1 overflow-y-auto">
        {result.run ? (
          <RunDetail run={result.run} {...slots} />
        ) : result.error ? (
          <ErrorState
            title={
              result.error instanceof ApiError && result.error.status === 404
                ? 'Run not found'
                : 'Cannot load this run'
            }
            error={result.error}
            // A run that does not exist will not appear by asking again.
            onRetry={
              result.error instanceof ApiError && result.error.status === 404
                ? undefined
                : () => void result.refetch()
            }
          />
        ) : (
          <SkeletonRows rows={12} label="Loading run" />
        )}
      </div>
      {result.run && (
        <RunActionBar run={result.run} scroller={scroller} renderHeaderActions={slots.renderHeaderActions} />
      )}
    </div>
  );
}

/**
 * The run's main actions, always in view below the panel's scrolling content: submit the tool outputs (or, while one
 * is empty, go to it and say why), edit the metadata (jumps to the editor and opens it), and the composed actions
 * (cancel).
 */
function RunActionBar({
  run,
  scroller,
  renderHeaderActions,
}: {
  run: Run;
  scroller: React.RefObject<HTMLDivElement | null>;
} & Pick<RunDetailSlots, 'renderHeaderActions'>) {
  // What the bar said is about this run's outputs as they were: typing, or another run or status, makes it stale.
  const said = `${run.id}:${run.status}`;
  const [message, setMessage] = useState<{ about: string; text: string } | null>(null);
  const why = message?.about === said ? message.text : null;
  const setWhy = (text: string | null) => setMessage(text === null ? null : { about: said, text });
  useEffect(() => {
    const content = scroller.current;
    const forget = () => setMessage(null);
    content?.addEventListener('input', forget);
    return () => content?.removeEventListener('input', forget);
  }, [scroller]);

  /**
   * Finds a section's element, the first of `selectors`' kinds there (the longer sections render in a deferred pass:
   * a click before they are there finds them in the next frames), then acts on it.
   */
  const whenFound = (
    section: string,
    selectors: string[],
    act: (element: HTMLElement) => void,
    framesLeft = 60,
  ) => {
    const within = scroller.current?.querySelector(`section[aria-label="${section}"]`);
    const element = selectors
      .map((selector) => within?.querySelector<HTMLElement>(selector))
      .find((candidate) => candidate);
    if (element) act(element);
    else if (framesLeft > 0) requestAnimationFrame(() => whenFound(section, selectors, act, framesLeft - 1));
  };
  // Centred in the panel's own scroll only: scrollIntoView would move the page too, and the header out of view.
  const bringToFocus = (target: HTMLElement) => {
    const content = scroller.current;
    if (content) {
      const offset = target.getBoundingClientRect().top - content.getBoundingClientRect().top;
      content.scrollBy({ top: offset - (content.clientHeight - target.offsetHeight) / 2 });
    }
    target.focus({ preventScroll: true });
  };

  /**
   * The form's own submit (its validation, its confirmation) when every output is written; else the first empty
   * output box takes the focus and the bar says what is missing.
   */
  const submitOutputs = () =>
    whenFound(statusLabel('requires_action'), ['form'], (form) => {
      const boxes = [...form.querySelectorAll('textarea')];
      const empty = boxes.filter((box) => box.value === '');
      if (empty.length === 0) {
        setWhy(null);
        (form as HTMLFormElement).requestSubmit();
        return;
      }
      bringToFocus(empty[0]!);
      const name = empty[0]!.labels?.[0]?.textContent?.replace(/^Output/, 'the output') ?? 'each output';
      const still = empty.length > 1 ? ` (${empty.length} of ${boxes.length} are empty)` : '';
      setWhy(`Write ${name} first${still}: every call's output goes in the one request.`);
    });
  const editMetadata = () =>
    whenFound('Metadata', ['input', '[data-opens-editor]', 'button'], (target) => {
      bringToFocus(target);
      if (target.dataset.opensEditor !== undefined) target.click();
    });

  return (
    <div className="shrink-0 border-t border-line bg-surface px-4 py-2">
      <p
        role="status"
        className={cx(
          'mb-2 rounded bg-status-warning-soft px-1.5 py-0.5 text-xs font-medium text-status-warning',
          !why && 'sr-only',
        )}
      >
        {why}
      </p>
      <div role="toolbar" aria-label="Run actions" className="flex flex-wrap items-center gap-2">
        {run.status === 'requires_action' && (
          <Button size="sm" variant="primary" onClick={submitOutputs}>
            Submit outputs
          </Button>
        )}
        <Button size="sm" onClick={editMetadata}>
          Edit metadata
        </Button>
        <div className="ml-auto flex items-center gap-2">{renderHeaderActions?.(run)}</div>
      </div>
    </div>
  );
}

function RunDetail({
  run,
  renderRequiredAction,
  renderResult,
  renderMetadata,
  renderSections,
}: { run: Run } & RunDetailSlots) {
  const assistants = useQuery({ ...assistantQueries.list(), select: (list) => list.data });
  const threadLabel = useThreadLabel(run.thread_id);
  // The first screen (status, ids, result, timeline, usage) paints at once; the longer sections below it follow in
  // a deferred render, so opening a run, or moving through runs with the arrow keys, paints within a frame or two.
  const deferredRun = useDeferredValue<Run | null>(run, null);
  const preview = (run as IndexedRun).preview;
  return (
    <>
      <header className="flex flex-col gap-2 border-b border-line px-4 py-3">
        <div className="flex flex-wrap items-center gap-2">
          <StatusBadge status={run.status} />
          <span className="font-mono text-[11px] text-muted">{run.object}</span>
        </div>
        <dl>
          <Field label="Run" wireName="id">
            <span className="flex items-center gap-0.5">
              <span className="font-mono text-xs break-all">{run.id}</span>
              <CopyButton value={run.id} label="Copy run id" />
            </span>
          </Field>
          <Field label="Status" wireName="status">
            <span className="font-mono text-xs">{run.status}</span>{' '}
            <span className="text-xs text-muted">({RUN_STATE_MEANINGS[run.status]})</span>
          </Field>
          <Field label="Thread" wireName="thread_id">
            <span className="flex items-center gap-0.5">
              <ThreadName threadId={run.thread_id} label={threadLabel} className="break-all" />
              <CopyButton value={run.thread_id} label="Copy thread id" />
            </span>
          </Field>
          {preview?.input && (
            <Field label="Asked" wireName="preview.input">
              <span className="text-[13px] break-words">{preview.input}</span>
            </Field>
          )}
          <Field label="Assistant" wireName="assistant_id">
            <span className="flex flex-wrap items-center gap-x-2">
              <span>{assistantLabel(assistants.data, run.assistant_id)}</span>
              <span className="font-mono text-[11px] break-all text-muted">{run.assistant_id}</span>
            </span>
          </Field>
        </dl>
      </header>

      <RunResult run={run} renderRequiredAction={renderRequiredAction} renderResult={renderResult} />

      <DetailSection title="Timeline">
        <RunTimeline run={run} />
      </DetailSection>

      <DetailSection title="Usage">
        <dl>
          {run.usage ? (
            <>
              <Field label="Prompt tokens" wireName="usage.prompt_tokens">
                <span className="tabular-nums">{formatTokens(run.usage.prompt_tokens)}</span>
              </Field>
              <Field label="Completion tokens" wireName="usage.completion_tokens">
                <span className="tabular-nums">{formatTokens(run.usage.completion_tokens)}</span>
              </Field>
              <Field label="Total tokens" wireName="usage.total_tokens">
                <span className="font-medium tabular-nums">{formatTokens(run.usage.total_tokens)}</span>
              </Field>
            </>
          ) : (
            <Field label="Usage" wireName="usage">
              <Missing>Reported once the run ends</Missing>
            </Field>
          )}
        </dl>
      </DetailSection>

      {deferredRun?.id === run.id ? (
        <RunRecordSections
          run={deferredRun}
          renderMetadata={renderMetadata}
          renderSections={renderSections}
        />
      ) : (
        <SkeletonRows rows={6} label="Loading configuration and records" />
      )}
    </>
  );
}

/**
 * Results first: the form of a run that needs input, the error of a failed run, why an incomplete run stopped, and
 * the reply of an ended run, before anything else in the panel.
 */
function RunResult({
  run,
  renderRequiredAction,
  renderResult,
}: { run: Run } & Pick<RunDetailSlots, 'renderRequiredAction' | 'renderResult'>) {
  const ended = !isActiveStatus(run.status);
  return (
    <>
      {run.required_action ? (
        <DetailSection
          title={statusLabel('requires_action')}
          aside={<span className="font-mono text-[10px] text-muted">required_action</span>}
        >
          {renderRequiredAction ? (
            renderRequiredAction(run)
          ) : (
            <RequiredActionView action={run.required_action} />
          )}
        </DetailSection>
      ) : (
        renderRequiredAction?.(run)
      )}
      {run.last_error && (
        <DetailSection
          title="Error"
          aside={<span className="font-mono text-[10px] text-muted">last_error</span>}
        >
          <div className="rounded-md border border-status-danger/30 bg-status-danger-soft p-2">
            <p className="font-mono text-xs font-semibold text-status-danger">{run.last_error.code}</p>
            <p className="mt-0.5 text-[13px] break-words">{run.last_error.message}</p>
          </div>
        </DetailSection>
      )}
      {run.incomplete_details && (
        <DetailSection
          title="Stopped early"
          aside={<span className="font-mono text-[10px] text-muted">incomplete_details</span>}
        >
          <p className="rounded-md border border-status-incomplete/30 bg-status-incomplete-soft p-2 text-[13px]">
            {incompleteExplanation(run.incomplete_details.reason)}{' '}
            <span className="font-mono text-xs text-status-incomplete">
              {run.incomplete_details.reason ?? 'no reason given'}
            </span>
          </p>
        </DetailSection>
      )}
      {ended && (run.status === 'completed' || run.status === 'incomplete') && renderResult?.(run)}
    </>
  );
}

/** The run as the API sent it: without the preview Runboard's query API adds. */
function wireRun(run: Run): Run {
  const { preview: _preview, ...wire } = run as IndexedRun;
  return wire;
}

function incompleteExplanation(reason: string | null | undefined): string {
  if (reason === 'max_completion_tokens') return 'The reply reached the run’s completion token limit.';
  if (reason === 'max_prompt_tokens') return 'The conversation exceeded the run’s prompt token limit.';
  return 'The run ended before finishing.';
}

/** Configuration, metadata, the composed record sections (steps, audit…) and the raw JSON. */
function RunRecordSections({
  run,
  renderMetadata,
  renderSections,
}: { run: Run } & Pick<RunDetailSlots, 'renderMetadata' | 'renderSections'>) {
  const metadata = Object.entries(run.metadata ?? {});
  return (
    <>
      <DetailSection title="Configuration">
        <RunConfiguration run={run} />
      </DetailSection>

      <DetailSection
        title="Metadata"
        aside={
          <span className="flex items-baseline gap-2 text-xs text-faint">
            <span className="font-mono text-[10px]">metadata</span>
            {metadata.length} of 16 pairs
          </span>
        }
      >
        {renderMetadata ? (
          renderMetadata(run)
        ) : metadata.length === 0 ? (
          <Missing>No metadata</Missing>
        ) : (
          <MetadataList entries={metadata} />
        )}
      </DetailSection>

      {renderSections?.(run)}

      <DetailSection title="Raw JSON">
        <JsonView value={wireRun(run)} label="Run JSON" />
      </DetailSection>
    </>
  );
}
