import { useLocalStorage } from '../../hooks/use-local-storage';

export type ColumnVisibility = Record<string, boolean>;

const STORAGE_KEY = 'runboard.runsTable.columns';
const ALL_VISIBLE: ColumnVisibility = {};

function isVisibility(value: unknown): value is ColumnVisibility {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((visible) => typeof visible === 'boolean')
  );
}

/** Which columns of the runs table are shown, kept across reloads. Absent means visible. */
export function useColumnVisibility() {
  return useLocalStorage(STORAGE_KEY, ALL_VISIBLE, isVisibility);
}
