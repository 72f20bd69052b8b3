import { ACTIONS_COLUMN } from '../../lib/run-columns';
import { cx } from '../../ui/cx';
import type { RunsTableInstance } from './runs-table-features';
import type { ColumnLayout } from './use-column-layout';
import type { ColumnResize } from './use-column-resize';

export interface RunsTableHeaderProps {
  table: RunsTableInstance;
  layout: ColumnLayout;
  resize: ColumnResize;
  /** The header that is the grid's Tab stop (the grid is one Tab stop: arrows move inside it), or null. */
  focusIndex: number | null;
  /** A click on a sortable column's header: `descFirst` is the direction a column starts in. */
  onSort: (columnId: string, descFirst: boolean) => void;
  /** There for screen readers and the keyboard only (the home view's short sections). */
  hidden?: boolean;
}

/**
 * The sticky header row: a button per column that sorts by it (its arrow says the direction; aria-sort too), and an
 * edge to drag (or double-click) for its width.
 */
export function RunsTableHeader({ table, layout, resize, focusIndex, onSort, hidden }: RunsTableHeaderProps) {
  return (
    <div
      role="rowgroup"
      className={cx(hidden ? 'sr-only' : 'sticky top-0 z-10 border-b border-line bg-raised')}
    >
      {table.getHeaderGroups().map((group) => (
        <div
          role="row"
          aria-rowindex={1}
          key={group.id}
          className="grid h-8 items-center bg-raised px-3"
          style={{ gridTemplateColumns: layout.gridTemplateColumns }}
        >
          {group.headers.map((header, index) => {
            const { column } = header;
            const sorted = column.getIsSorted();
            const canSort = column.getCanSort();
            const label = column.columnDef.meta?.label ?? column.id;
            const left = layout.pinnedLeft[column.id];
            const startResize = (event: React.MouseEvent | React.TouchEvent) =>
              resize.start(column.id, layout.sizeOf(column.id), event);
            return (
              <div
                role="columnheader"
                key={header.id}
                aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
                className={cx(
                  'relative flex h-full min-w-0 items-center pr-2',
                  left !== undefined && 'sticky z-[1] bg-raised',
                )}
                style={left !== undefined ? { left } : undefined}
              >
                <button
                  type="button"
                  data-header-index={index}
                  data-column-id={column.id}
                  tabIndex={focusIndex === index ? 0 : -1}
                  // Not `disabled`: a column the server cannot sort by still takes focus (arrows, resizing).
                  aria-disabled={canSort ? undefined : true}
                  onClick={
                    canSort ? () => onSort(column.id, column.columnDef.sortDescFirst ?? false) : undefined
                  }
                  className={cx(
                    'inline-flex max-w-full items-center gap-1 rounded text-xs font-medium',
                    canSort ? 'hover:text-fg' : 'cursor-default',
                    sorted ? 'text-fg' : 'text-muted',
                  )}
                  title={canSort ? `Sort by ${label}` : undefined}
                >
                  <span className="truncate">{label}</span>
                  <span aria-hidden="true" className={cx('text-[10px]', !sorted && 'opacity-0')}>
                    {sorted === 'asc' ? '▲' : '▼'}
                  </span>
                </button>
                <span
                  aria-hidden="true"
                  onMouseDown={startResize}
                  onTouchStart={startResize}
                  onDoubleClick={() => resize.reset(column.id)}
                  title="Drag to resize; double-click resets"
                  className={cx(
                    'absolute inset-y-1 right-0.5 w-1.5 cursor-col-resize touch-none rounded select-none hover:bg-line-strong',
                    resize.dragging === column.id && 'bg-accent',
                  )}
                />
              </div>
            );
          })}
          {layout.showActions && (
            <div role="columnheader" className="min-w-0 text-xs font-medium text-muted">
              <span className="sr-only">{ACTIONS_COLUMN.label}</span>
            </div>
          )}
        </div>
      ))}
    </div>
  );
}
