import { hostname } from 'node:os';

const startedAt = new Date().toISOString();

/**
 * This process's name among the instances on one database: host, pid and start time, unique even when a pid is
 * reused after a restart. The owner of the leases it takes (`claims/`) and the instance a page says answered.
 */
export function instanceId(): string {
  return `${hostname()}:${process.pid}:${startedAt}`;
}
