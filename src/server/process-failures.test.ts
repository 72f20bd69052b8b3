import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../platform/logger';
import { logProcessFailures } from './process-failures';

/** A stand-in process with the handlers installed, and the log lines they wrote. */
function watchedProcess() {
  const exits: number[] = [];
  const target = Object.assign(new EventEmitter(), { exits, exit: (code: number) => void exits.push(code) });
  const lines: string[] = [];
  logProcessFailures(
    createLogger('error', (line) => lines.push(line), false),
    target,
  );
  return { target, lines };
}

describe('failures nothing caught', () => {
  it('an unhandled rejection is logged once, as JSON through the logger, and the process goes on', () => {
    const { target, lines } = watchedProcess();
    target.emit('unhandledRejection', new Error('nobody awaited me'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'error',
      message: 'Unhandled promise rejection (the server goes on)',
      error: expect.stringContaining('nobody awaited me'),
    });
    expect(target.exits).toEqual([]);
  });

  it('an uncaught exception is logged, then the process exits with code 1', () => {
    const { target, lines } = watchedProcess();
    target.emit('uncaughtException', new TypeError('half done'));
    expect(JSON.parse(lines[0]!)).toMatchObject({
      message: 'Uncaught exception: the server stops',
      error: expect.stringContaining('TypeError: half done'),
    });
    expect(target.exits).toEqual([1]);
  });
});
