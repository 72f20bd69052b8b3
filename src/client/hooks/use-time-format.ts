import type { TimeFormat } from '../lib/format-time';
import { useLocalStorage } from './use-local-storage';

const isTimeFormat = (value: unknown): value is TimeFormat => value === 'relative' || value === 'absolute';

/**
 * How the person reads times (give it to `formatMoment`): their choice, remembered in this browser
 * (`runboard.timeFormat`) and shared by every time shown.
 */
export function useTimeFormat() {
  return useLocalStorage<TimeFormat>('runboard.timeFormat', 'relative', isTimeFormat);
}
