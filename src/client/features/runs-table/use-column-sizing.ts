type ColumnSizingState = Record<string, number>;
import { useLocalStorage } from '../../hooks/use-local-storage';

const STORAGE_KEY = 'runboard.runsTable.widths';
const DEFAULT_WIDTHS: ColumnSizingState = {};

function isSizing(value: unknown): value is ColumnSizingState {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((width) => typeof width === 'number' && Number.isFinite(width) && width > 0)
  );
}

/** The widths a person gave the runs table's columns by dragging, in px, kept across reloads. */
export function useColumnSizing() {
  return useLocalStorage(STORAGE_KEY, DEFAULT_WIDTHS, isSizing);
}
