import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import type { Assistant } from '../../../../shared/openai-types';
import { assistantQueries } from '../../../api/assistant-queries';
import { cx } from '../../../ui/cx';

const NO_ASSISTANTS: Assistant[] = [];
const selectAssistants = (list: { data: Assistant[] }) => list.data;
const LOOKS_LIKE_ID = /^asst_[A-Za-z0-9_-]+$/;

function matches(assistant: Assistant, words: string[]): boolean {
  const haystack = `${assistant.name ?? ''} ${assistant.id} ${assistant.model}`.toLowerCase();
  return words.every((word) => haystack.includes(word));
}

/**
 * Chooses the run's assistant from `GET /v1/assistants`, filtered by what is typed (name, id or model); an id that
 * is not listed can be pasted and used as it is.
 */
export function AssistantPicker({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (assistantId: string) => void;
  error?: string;
}) {
  const assistants = useQuery({ ...assistantQueries.list(), select: selectAssistants });
  const [search, setSearch] = useState('');
  const errorId = useId();
  const list = assistants.data ?? NO_ASSISTANTS;
  const typed = search.trim();
  const shown = useMemo(() => {
    const words = typed.toLowerCase().split(/\s+/).filter(Boolean);
    return words.length === 0 ? list : list.filter((assistant) => matches(assistant, words));
  }, [list, typed]);
  const pastedId =
    LOOKS_LIKE_ID.test(typed) && !list.some((assistant) => assistant.id === typed) ? typed : null;

  return (
    <fieldset
      className="flex flex-col gap-1.5"
      aria-invalid={error ? true : undefined}
      aria-describedby={error ? errorId : undefined}
    >
      <legend className="mb-1 text-xs font-medium">Assistant</legend>
      <input
        type="search"
        aria-label="Search assistants or paste an assistant id"
        placeholder="Search by name, id or model, or paste asst_…"
        value={search}
        spellCheck={false}
        onChange={(event) => {
          const next = event.target.value;
          setSearch(next);
          const trimmed = next.trim();
          if (LOOKS_LIKE_ID.test(trimmed)) onChange(trimmed);
        }}
        className="h-8 rounded-md border border-line-strong bg-surface px-2 text-xs"
      />
      <div className="max-h-44 overflow-y-auto rounded-md border border-line">
        {assistants.isPending && <p className="p-2 text-xs text-muted">Loading assistants…</p>}
        {assistants.error && (
          <p role="alert" className="p-2 text-xs text-status-danger">
            Cannot list assistants ({assistants.error.message}). Paste an assistant id instead.
          </p>
        )}
        {pastedId && (
          <AssistantOption
            id={pastedId}
            title={`Use the id ${pastedId}`}
            detail="Not in the list; the server checks it when the run starts."
            checked={value === pastedId}
            onSelect={() => onChange(pastedId)}
          />
        )}
        {shown.map((assistant) => (
          <AssistantOption
            key={assistant.id}
            id={assistant.id}
            title={assistant.name || assistant.id}
            detail={`${assistant.model} · ${assistant.id}`}
            checked={value === assistant.id}
            onSelect={() => onChange(assistant.id)}
          />
        ))}
        {assistants.isSuccess && shown.length === 0 && !pastedId && (
          <p className="p-2 text-xs text-muted">No assistant matches “{typed}”.</p>
        )}
      </div>
      {error && (
        <p id={errorId} className="text-[11px] text-status-danger">
          {error}
        </p>
      )}
    </fieldset>
  );
}

function AssistantOption({
  id,
  title,
  detail,
  checked,
  onSelect,
}: {
  id: string;
  title: string;
  detail: string;
  checked: boolean;
  onSelect: () => void;
}) {
  return (
    <label
      className={cx(
        'flex cursor-pointer items-start gap-2 border-b border-line px-2 py-1.5 last:border-b-0',
        checked ? 'bg-selected' : 'hover:bg-raised',
      )}
    >
      <input
        type="radio"
        name="assistant"
        value={id}
        checked={checked}
        onChange={onSelect}
        className="mt-0.5"
      />
      <span className="flex min-w-0 flex-col">
        <span className="truncate text-xs font-medium">{title}</span>
        <span className="truncate font-mono text-[11px] text-faint">{detail}</span>
      </span>
    </label>
  );
}
