import type { RouteContext } from '../routes/route-context';

export interface AdminContext extends RouteContext {
  /** Re-arms the scheduler's timer after the clock or the time scale changed. */
  reschedule(): void;
}
