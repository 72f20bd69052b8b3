import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Metadata, Run } from '../../../../shared/openai-types';
import { storeRun } from '../../../api/run-queries';
import { FormAlert } from '../../../ui/form-field';
import { Button } from '../../../ui/button';
import { MetadataList } from '../../../ui/metadata-list';
import { replaceRunMetadata } from '../../../api/run-mutations';
import { holdRunPolls, refreshThreadRuns } from '../../../api/run-cache';
import { MetadataChanges } from './metadata-changes';
import { MetadataPairsEditor } from './metadata-pairs-editor';
import type { MetadataRow } from './metadata-pairs';
import {
  diffMetadata,
  metadataFromRows,
  newRow,
  rowsFromMetadata,
  sameMetadata,
  validateMetadataRows,
} from './metadata-pairs';

/** The run's metadata, editable in place. Saving replaces the whole object, as the API does. */
export function MetadataEditor({ run }: { run: Run }) {
  const [editing, setEditing] = useState<{ base: Metadata; rows: MetadataRow[] } | null>(null);
  const [saved, setSaved] = useState(false);
  // After the form closes (saved or discarded), focus goes back to its opener: the next action starts there.
  const [closedForm, setClosedForm] = useState(false);

  if (!editing) {
    const entries = Object.entries(run.metadata ?? {});
    return (
      <div className="flex flex-col gap-2">
        {entries.length === 0 ? (
          <p className="text-faint">No metadata</p>
        ) : (
          <MetadataList entries={entries} />
        )}
        <div className="flex items-center gap-2">
          <Button
            size="sm"
            data-opens-editor=""
            autoFocus={closedForm}
            onClick={() => {
              setSaved(false);
              // Seeded once: polling the run does not touch what is being typed.
              // No pairs yet: one empty pair to type in (blank pairs are not sent).
              const rows = rowsFromMetadata(run.metadata);
              setEditing({ base: run.metadata ?? {}, rows: rows.length > 0 ? rows : [newRow()] });
            }}
          >
            Edit metadata
          </Button>
          {saved && (
            <span role="status" className="text-xs text-status-success">
              Metadata saved.
            </span>
          )}
        </div>
      </div>
    );
  }

  return (
    <MetadataForm
      run={run}
      base={editing.base}
      rows={editing.rows}
      onRowsChange={(rows) => setEditing({ ...editing, rows })}
      onDone={(didSave) => {
        setEditing(null);
        setSaved(didSave);
        setClosedForm(true);
      }}
    />
  );
}

function MetadataForm({
  run,
  base,
  rows,
  onRowsChange,
  onDone,
}: {
  run: Run;
  base: Metadata;
  rows: MetadataRow[];
  onRowsChange: (rows: MetadataRow[]) => void;
  onDone: (saved: boolean) => void;
}) {
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: (metadata: Metadata) => replaceRunMetadata(run.thread_id, run.id, metadata),
    onMutate: () => holdRunPolls(client, run.thread_id, run.id),
    onSuccess: (updated) => {
      storeRun(client, updated);
      onDone(true);
    },
    onSettled: () => refreshThreadRuns(client, run.thread_id),
  });

  const problems = validateMetadataRows(rows);
  const next = metadataFromRows(rows);
  // Against what the server holds now: that is what the save replaces.
  const changes = diffMetadata(run.metadata, next);
  const changedOnServer = !sameMetadata(base, run.metadata);

  return (
    <form
      aria-label="Edit metadata"
      className="flex flex-col gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        if (problems.valid && changes.length > 0 && !save.isPending) save.mutate(next);
      }}
    >
      <MetadataPairsEditor
        focusFirst
        rows={rows}
        onChange={onRowsChange}
        problems={problems}
        disabled={save.isPending}
      />
      {changedOnServer && (
        <p role="status" className="rounded-md bg-status-warning-soft p-2 text-xs">
          The metadata changed on the server while you were editing; the changes below are against its current
          value.
        </p>
      )}
      <div className="rounded-md border border-line bg-raised/60 p-2">
        <p className="mb-1 text-[11px] font-medium text-muted">Saving replaces the whole metadata object:</p>
        <MetadataChanges changes={changes} />
      </div>
      {save.error && <FormAlert>The metadata was not saved: {save.error.message}</FormAlert>}
      <div className="flex justify-end gap-2">
        <Button onClick={() => onDone(false)} disabled={save.isPending}>
          Discard edits
        </Button>
        <Button
          type="submit"
          variant="primary"
          disabled={!problems.valid || changes.length === 0 || save.isPending}
        >
          {save.isPending ? 'Saving…' : 'Save metadata'}
        </Button>
      </div>
    </form>
  );
}
