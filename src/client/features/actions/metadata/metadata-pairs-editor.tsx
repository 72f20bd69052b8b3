import { useId, useState } from 'react';
import { METADATA_LIMITS } from '../../../../shared/openai-types';
import { Button } from '../../../ui/button';
import { FieldError, fieldClass } from '../../../ui/form-field';
import type { MetadataProblems, MetadataRow } from './metadata-pairs';
import { newRow } from './metadata-pairs';

const inputClass = `h-7 min-w-0 font-mono ${fieldClass}`;

/** Key/value lines to add, edit and remove, with the limit problems shown beside the field they concern. */
export function MetadataPairsEditor({
  rows,
  onChange,
  problems,
  disabled = false,
  focusFirst = false,
}: {
  rows: MetadataRow[];
  onChange: (rows: MetadataRow[]) => void;
  problems: MetadataProblems;
  disabled?: boolean;
  /** Focus the first key when the editor appears (it was opened to be typed in). */
  focusFirst?: boolean;
}) {
  const formProblemId = useId();
  // A pair added with "+ Add pair" (or the first one, with `focusFirst`) takes focus: its key is typed next.
  const [focusRowId, setFocusRowId] = useState<string | null>(() =>
    focusFirst ? (rows[0]?.id ?? null) : null,
  );
  const filled = rows.filter((row) => row.key !== '' || row.value !== '').length;
  const full = filled >= METADATA_LIMITS.maxPairs;

  const update = (id: string, patch: Partial<MetadataRow>) =>
    onChange(rows.map((row) => (row.id === id ? { ...row, ...patch } : row)));

  return (
    <div className="flex flex-col gap-1.5">
      {rows.length > 0 && (
        <div
          className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)_auto] gap-x-1.5 text-[11px] text-muted"
          aria-hidden="true"
        >
          <span>Key (≤ {METADATA_LIMITS.maxKeyLength})</span>
          <span>Value (≤ {METADATA_LIMITS.maxValueLength})</span>
          <span className="w-7" />
        </div>
      )}
      {rows.map((row, index) => {
        const problem = problems.rows[row.id];
        const keyLabel = `Metadata key ${index + 1}`;
        const valueLabel = `Metadata value ${index + 1}`;
        return (
          <div key={row.id} className="flex flex-col gap-0.5">
            <div className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)_auto] items-center gap-x-1.5">
              <input
                aria-label={keyLabel}
                aria-invalid={problem?.key ? true : undefined}
                aria-describedby={problem?.key ? `${row.id}-key-problem` : undefined}
                value={row.key}
                disabled={disabled}
                spellCheck={false}
                placeholder="key"
                autoFocus={row.id === focusRowId}
                onChange={(event) => update(row.id, { key: event.target.value })}
                className={inputClass}
              />
              <input
                aria-label={valueLabel}
                aria-invalid={problem?.value ? true : undefined}
                aria-describedby={problem?.value ? `${row.id}-value-problem` : undefined}
                value={row.value}
                disabled={disabled}
                spellCheck={false}
                placeholder="value"
                onChange={(event) => update(row.id, { value: event.target.value })}
                className={inputClass}
              />
              <Button
                size="sm"
                variant="ghost"
                className="w-7 px-0"
                disabled={disabled}
                aria-label={`Remove metadata pair ${index + 1}${row.key ? ` (${row.key})` : ''}`}
                title="Remove this pair"
                onClick={() => onChange(rows.filter((candidate) => candidate.id !== row.id))}
              >
                <span aria-hidden="true">×</span>
              </Button>
            </div>
            {problem?.key && <FieldError id={`${row.id}-key-problem`}>{problem.key}</FieldError>}
            {problem?.value && <FieldError id={`${row.id}-value-problem`}>{problem.value}</FieldError>}
          </div>
        );
      })}
      {problems.form && <FieldError id={formProblemId}>{problems.form}</FieldError>}
      <div className="flex items-center gap-2">
        <Button
          size="sm"
          disabled={disabled || full}
          aria-describedby={problems.form ? formProblemId : undefined}
          onClick={() => {
            const row = newRow();
            setFocusRowId(row.id);
            onChange([...rows, row]);
          }}
        >
          + Add pair
        </Button>
        <span className="text-[11px] text-muted">
          {filled} of {METADATA_LIMITS.maxPairs} pairs{full ? ': the limit' : ''}
        </span>
      </div>
    </div>
  );
}
