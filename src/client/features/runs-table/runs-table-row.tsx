import { memo } from 'react';
import type { ReactNode } from 'react';
import type { Run } from '../../../shared/openai-types';
import { cx } from '../../ui/cx';
import type { RunRow, RunsTableInstance } from './runs-table-features';
import type { ColumnLayout } from './use-column-layout';

/** Every row is this tall (px): the virtualizer and the reading position count in rows of it. */
export const ROW_HEIGHT = 44;

export interface RunsTableRowProps {
  row: RunRow;
  table: RunsTableInstance;
  index: number;
  /** Its top, in px from the first row. */
  start: number;
  layout: ColumnLayout;
  /** Its run is open in the panel. */
  selected: boolean;
  /** It is the grid's Tab stop. */
  tabStop: boolean;
  /** Its run arrived while the table was open: highlighted for a moment. */
  arrived: boolean;
  onOpen: (runId: string) => void;
  onFocusRow: (runId: string) => void;
  renderRowActions?: (run: Run) => ReactNode;
}

/** One run: a grid row of its cells (the pinned ones stay in view sideways), then its controls. Memoized. */
export const RunsTableRow = memo(function RunsTableRow({
  row,
  table,
  index,
  start,
  layout,
  selected,
  tabStop,
  arrived,
  onOpen,
  onFocusRow,
  renderRowActions,
}: RunsTableRowProps) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-run-id={row.id}
      data-status={row.original.status}
      tabIndex={tabStop ? 0 : -1}
      onClick={() => onOpen(row.id)}
      onFocus={() => onFocusRow(row.id)}
      className={cx(
        'absolute top-0 left-0 grid w-full cursor-pointer items-center border-b border-line px-3 outline-none',
        // Fixed size: a row's layout and paint never reach beyond it, so re-laying out changed rows stays local.
        '[contain:strict]',
        'focus-visible:z-10 focus-visible:ring-2 focus-visible:ring-focus focus-visible:ring-inset',
        selected ? 'bg-selected' : 'bg-surface hover:bg-raised',
        arrived && !selected && 'animate-arrive',
      )}
      style={{
        gridTemplateColumns: layout.gridTemplateColumns,
        height: ROW_HEIGHT,
        transform: `translateY(${start}px)`,
      }}
    >
      {selected && <span aria-hidden="true" className="absolute inset-y-0 left-0 w-0.5 bg-accent" />}
      {row.getAllCells().map((cell) => {
        const left = layout.pinnedLeft[cell.column.id];
        return (
          <div
            role="gridcell"
            key={cell.id}
            className={cx(
              'flex h-full min-w-0 items-center pr-2',
              left !== undefined && 'sticky z-[1] bg-inherit',
            )}
            style={left !== undefined ? { left } : undefined}
          >
            <div className="min-w-0 flex-1">
              <table.FlexRender cell={cell} />
            </div>
          </div>
        );
      })}
      {renderRowActions && (
        <div role="gridcell" className="flex min-w-0 justify-end">
          {renderRowActions(row.original)}
        </div>
      )}
    </div>
  );
});
