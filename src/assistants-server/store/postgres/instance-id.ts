import { hostname } from 'node:os';

const STARTED_AT = new Date().toISOString();

/**
 * This process among the instances sharing one database: host, pid and start time. It marks the change-log rows it
 * writes (and, for the scheduler, the leases it holds).
 */
export function instanceId(): string {
  return `${hostname()}:${process.pid}:${STARTED_AT}`;
}
