import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { Run } from '../../../../shared/openai-types';
import { isActiveStatus } from '../../../../shared/openai-types';
import { Button } from '../../../ui/button';
import { StatusBadge } from '../../../ui/status-badge';
import { describeRunChange } from './run-change-notice';
import { ToolOutputField } from './tool-output-field';
import { ToolOutputsForm } from './tool-outputs-form';
import { discardDraft, readDraft, takeJustSubmitted, wasSubmittedHere } from './tool-outputs-draft';

/**
 * What the detail panel shows about tool outputs: the form while the run waits for them; afterwards, either how the
 * run went on after outputs sent from here, or the kept draft and what happened to the run while it was written.
 */
export function ToolOutputsSlot({ run }: { run: Run }) {
  const calls =
    run.status === 'requires_action' ? run.required_action?.submit_tool_outputs.tool_calls : undefined;
  if (calls) return <ToolOutputsForm key={run.id} run={run} calls={calls} />;
  if (wasSubmittedHere(run.id)) return <SubmittedNotice run={run} />;
  if (readDraft(run.id)) return <KeptDraft key={run.id} run={run} />;
  return null;
}

function Section({ children }: { children: ReactNode }) {
  return (
    <section aria-label="Tool outputs" className="border-b border-line px-4 py-3">
      <h3 className="mb-2 text-xs font-semibold tracking-wide text-muted uppercase">Tool outputs</h3>
      {children}
    </section>
  );
}

function SubmittedNotice({ run }: { run: Run }) {
  const active = isActiveStatus(run.status);
  const notice = useRef<HTMLParagraphElement>(null);
  // The form that had the focus is gone: the confirmation that replaced it takes it (after a submit here only).
  useEffect(() => {
    if (takeJustSubmitted(run.id)) notice.current?.focus();
  }, [run.id]);
  return (
    <Section>
      <p
        ref={notice}
        tabIndex={-1}
        role="status"
        className="flex flex-wrap items-center gap-2 rounded-md bg-status-success-soft px-2 py-1.5 text-xs"
      >
        <span>Tool outputs submitted from here.</span>
        <span className="inline-flex items-center gap-1">
          {active ? 'The run is now' : 'The run ended:'} <StatusBadge status={run.status} />
        </span>
      </p>
    </Section>
  );
}

function KeptDraft({ run }: { run: Run }) {
  // Read once: this view does not edit the draft, and discarding it hides the view.
  const [draft, setDraft] = useState(() => readDraft(run.id));
  if (!draft) return null;
  return (
    <Section>
      <div
        role="status"
        className="mb-2 rounded-md border border-status-warning/30 bg-status-warning-soft p-2 text-xs"
      >
        <p className="font-medium">Your draft was not sent.</p>
        <p className="mt-0.5">{describeRunChange(run)} The draft is kept below so you can copy it.</p>
      </div>
      <div className="flex flex-col gap-2">
        {draft.calls.map((call) => (
          <ToolOutputField key={call.id} call={call} value={draft.outputs[call.id] ?? ''} readOnly />
        ))}
      </div>
      <div className="mt-2 flex justify-end">
        <Button
          size="sm"
          onClick={() => {
            discardDraft(run.id);
            setDraft(null);
          }}
        >
          Discard draft
        </Button>
      </div>
    </Section>
  );
}
