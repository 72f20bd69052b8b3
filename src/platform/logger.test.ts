import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

describe('createLogger', () => {
  it('writes one JSON line per event at or above its level', () => {
    const lines: string[] = [];
    const logger = createLogger('info', (line) => lines.push(line), false);
    logger.debug('hidden');
    logger.info('listening', { port: 3180 });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', message: 'listening', port: 3180 });
  });

  it('reads as text on a terminal', () => {
    const lines: string[] = [];
    createLogger('debug', (line) => lines.push(line), true).warn('slow', { ms: 12 });
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}slow ms=12$/);
  });

  it('is silent when told so', () => {
    const lines: string[] = [];
    createLogger('silent', (line) => lines.push(line), false).error('nothing');
    expect(lines).toEqual([]);
  });
});
