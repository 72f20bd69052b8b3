import { useLocalStorage } from './use-local-storage';

/** How times read: "3m ago" (relative, the default) or "2026-08-20 14:03:07 GMT+2" (absolute, with the zone). */
export type TimeFormat = 'relative' | 'absolute';

const isTimeFormat = (value: unknown): value is TimeFormat => value === 'relative' || value === 'absolute';

/** The person's choice, remembered in this browser (`runboard.timeFormat`) and shared by every time shown. */
export function useTimeFormat() {
  return useLocalStorage<TimeFormat>('runboard.timeFormat', 'relative', isTimeFormat);
}
