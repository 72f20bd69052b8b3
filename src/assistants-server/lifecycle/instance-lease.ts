import { instanceId } from '../store/postgres/instance-id';

/** Who this instance is among those sharing a database, and how long the work it claims stays its own unrenewed. */
export interface InstanceLease {
  /** The lease owner: this process's id. */
  owner: string;
  /** A lease not renewed within this long expires, and any instance may take the run (`RUNBOARD_LEASE_MS`). */
  leaseMs: number;
}

/** 15 s: an instance killed mid-call has its runs taken over by another instance within about this long. */
export const DEFAULT_LEASE_MS = 15_000;

export function thisInstance(leaseMs = DEFAULT_LEASE_MS, owner = instanceId()): InstanceLease {
  return { owner, leaseMs };
}
