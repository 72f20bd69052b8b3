import { readFileSync } from 'node:fs';

/** A process's resident memory (`VmRSS`) or its peak so far (`VmHWM`) in MB, from /proc; null when unreadable. */
export function processMemoryMb(pid: number | null, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number | null {
  if (pid === null) return null;
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}
