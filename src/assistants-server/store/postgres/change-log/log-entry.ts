import type { ChangeEvent } from '../../../../shared/runs-query-types';
import type { LifecycleEvent } from '../../../events/lifecycle-events';
import { LIFECYCLE_CHANGE_TYPE } from './append-change';

/** A lifecycle row as read back: the event, and the id of the instance whose transaction wrote it. */
export interface LifecycleEntry {
  type: typeof LIFECYCLE_CHANGE_TYPE;
  seq: number;
  instance: string;
  event: LifecycleEvent;
}

/**
 * One row of the change log as a reader hands it back, its id as `seq`: a change of the dashboard's feed
 * (`ChangeEvent`, what the query tables changed) or a lifecycle event.
 */
export type LogEntry = ChangeEvent | LifecycleEntry;

export function isLifecycleEntry(entry: LogEntry): entry is LifecycleEntry {
  return entry.type === LIFECYCLE_CHANGE_TYPE;
}
