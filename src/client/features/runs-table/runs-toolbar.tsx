import { lazy, Suspense } from 'react';
import { usePopover } from '../../hooks/use-popover';
import type { RunStatus } from '../../../shared/openai-types';
import { RUN_STATUSES } from '../../../shared/openai-types';
import { Button } from '../../ui/button';
import { SearchField } from '../../ui/search-field';
import { cx } from '../../ui/cx';
import { RUN_COLUMNS } from '../../lib/run-columns';
import { formatCount } from '../../lib/run-vocabulary';
import { STATUS_PRESENTATION, statusColor, StatusGlyph } from '../../ui/status-badge';
import type { ColumnVisibility } from './use-column-visibility';

// Shown only on a list given a time bound (the home's View all failed): loaded then.
const TimeBoundChip = lazy(() =>
  import('../../ui/time-bound-chip').then((module) => ({ default: module.TimeBoundChip })),
);

// Thread is the view's choice (shown across threads, hidden in a thread), not the person's.
const HIDEABLE_COLUMNS = RUN_COLUMNS.filter((column) => column.hideable && column.id !== 'thread');

export function RunsToolbar({
  counts,
  statuses,
  onStatusesChange,
  createdAfter,
  onCreatedAfterChange,
  search,
  onSearchChange,
  columnVisibility,
  onColumnVisibilityChange,
}: {
  counts: Record<RunStatus, number>;
  statuses: RunStatus[];
  onStatusesChange: (statuses: RunStatus[]) => void;
  createdAfter: number | null;
  onCreatedAfterChange: (createdAfter: number | null) => void;
  search: string;
  onSearchChange: (search: string) => void;
  columnVisibility: ColumnVisibility;
  onColumnVisibilityChange: (visibility: ColumnVisibility) => void;
}) {
  const toggle = (status: RunStatus) =>
    onStatusesChange(
      statuses.includes(status) ? statuses.filter((each) => each !== status) : [...statuses, status],
    );
  const shown = RUN_STATUSES.filter((status) => counts[status] > 0 || statuses.includes(status));

  return (
    <div className="flex flex-wrap items-center gap-2 border-b border-line px-3 py-2">
      <SearchField
        label="Search runs"
        placeholder="Search errors, metadata, names, ids"
        value={search}
        onChange={onSearchChange}
        keyShortcut="/"
        className="w-full sm:w-auto"
        inputClassName="sm:w-72"
      />
      <div role="group" aria-label="Filter by status" className="flex flex-wrap items-center gap-1">
        {shown.map((status) => {
          const pressed = statuses.includes(status);
          return (
            <button
              key={status}
              type="button"
              aria-pressed={pressed}
              onClick={() => toggle(status)}
              className={cx(
                'inline-flex h-7 items-center gap-1.5 rounded-md border px-2 text-xs',
                pressed
                  ? 'border-accent bg-accent-soft text-fg'
                  : 'border-line text-muted hover:bg-raised hover:text-fg',
              )}
            >
              <span style={statusColor(status)}>
                <StatusGlyph status={status} className="text-xs" />
              </span>
              {STATUS_PRESENTATION[status].label}
              <span className="rounded bg-raised px-1 text-muted tabular-nums">
                {formatCount(counts[status])}
              </span>
            </button>
          );
        })}
        {createdAfter !== null && (
          <Suspense fallback={null}>
            <TimeBoundChip createdAfter={createdAfter} onRemove={() => onCreatedAfterChange(null)} />
          </Suspense>
        )}
        {(statuses.length > 0 || createdAfter !== null) && (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => {
              onStatusesChange([]);
              onCreatedAfterChange(null);
            }}
          >
            Clear filter
          </Button>
        )}
      </div>
      <div className="ml-auto">
        <ColumnsMenu visibility={columnVisibility} onChange={onColumnVisibilityChange} />
      </div>
    </div>
  );
}

function ColumnsMenu({
  visibility,
  onChange,
}: {
  visibility: ColumnVisibility;
  onChange: (next: ColumnVisibility) => void;
}) {
  const { open, setOpen, rootRef, triggerRef, onKeyDown } = usePopover();

  const hiddenCount = HIDEABLE_COLUMNS.filter((column) => visibility[column.id] === false).length;
  return (
    <div ref={rootRef} className="relative" onKeyDown={onKeyDown}>
      <Button
        ref={triggerRef}
        size="sm"
        aria-expanded={open}
        aria-controls={open ? 'runs-columns-menu' : undefined}
        onClick={() => setOpen((value) => !value)}
      >
        Columns{hiddenCount > 0 ? ` (${hiddenCount} hidden)` : ''}
      </Button>
      {open && (
        <fieldset
          id="runs-columns-menu"
          className="absolute right-0 z-30 mt-1 flex w-44 flex-col gap-0.5 rounded-md border border-line bg-surface p-1.5 shadow-lg"
        >
          <legend className="sr-only">Visible columns</legend>
          {HIDEABLE_COLUMNS.map((column, index) => (
            <label
              key={column.id}
              className="flex items-center gap-2 rounded px-1.5 py-1 text-xs hover:bg-raised"
            >
              <input
                type="checkbox"
                autoFocus={index === 0}
                checked={visibility[column.id] !== false}
                onChange={(event) => onChange({ ...visibility, [column.id]: event.target.checked })}
              />
              {column.label}
            </label>
          ))}
        </fieldset>
      )}
    </div>
  );
}
