import { describe, expect, it } from 'vitest';
import { createSseParser } from './sse-parser';

describe('text/event-stream parser', () => {
  it('yields frames with their id, event and data, across chunks split anywhere', () => {
    const parser = createSseParser();
    const text =
      'id: 7\nevent: run.updated\ndata: {"a":1}\n\n: heartbeat\n\nid: 8\r\nevent: reset\r\ndata: {"b":\r\ndata: 2}\r\n\r\n';
    const frames = [...text].flatMap((char) => parser.push(char));
    expect(frames).toEqual([
      { id: '7', event: 'run.updated', data: '{"a":1}' },
      { id: '8', event: 'reset', data: '{"b":\n2}' },
    ]);
  });

  it('ignores comments and frames without data, and keeps the retry hint', () => {
    const parser = createSseParser();
    expect(parser.push(': heartbeat\n\nretry: 2500\n\nevent: nothing\n\n')).toEqual([]);
    expect(parser.retryMs()).toBe(2500);
  });
});

describe('the last event id', () => {
  it('is set by an id line even in a frame without data, and carried by later frames', () => {
    const parser = createSseParser();
    expect(parser.push('retry: 2000\n\nid: 41\n\n')).toEqual([]);
    expect(parser.lastEventId()).toBe('41');
    expect(parser.push('event: x\ndata: 1\n\n')).toEqual([{ id: '41', event: 'x', data: '1' }]);
  });
});
