import { describe, expect, it } from 'vitest';
import { createSseParser } from './sse-parser';

describe('text/event-stream parser', () => {
  it('yields blocks with their id, event and data, across chunks split anywhere', () => {
    const parser = createSseParser();
    const text =
      'id: 7\nevent: run.updated\ndata: {"a":1}\n\n: heartbeat\n\nid: 8\r\nevent: reset\r\ndata: {"b":\r\ndata: 2}\r\r\n';
    const blocks = [...text].flatMap((char) => parser.push(char));
    expect(blocks).toEqual([
      { id: '7', event: 'run.updated', data: '{"a":1}' },
      { comment: 'heartbeat' },
      { id: '8', event: 'reset', data: '{"b":\n2}' },
    ]);
    expect(parser.unfinished()).toBe(false);
  });

  it('keeps the retry hint, skips unknown fields and a retry that is not a number', () => {
    const parser = createSseParser();
    expect(parser.push('retry: 2500\n\nretry: soon\nfoo: bar\nevent: nothing\n\n')).toEqual([
      { retry: 2500 },
      { event: 'nothing' },
    ]);
    expect(parser.retryMs()).toBe(2500);
  });

  it('says when a stream stops inside a block', () => {
    const parser = createSseParser();
    expect(parser.push('event: x\ndata: 1\n')).toEqual([]);
    expect(parser.unfinished()).toBe(true);
    expect(parser.push('\n')).toEqual([{ event: 'x', data: '1' }]);
    expect(parser.unfinished()).toBe(false);
    parser.push('data: half');
    expect(parser.unfinished()).toBe(true);
  });
});

describe('the last event id', () => {
  it('is set by an id line even in a block without data, and kept until the next one', () => {
    const parser = createSseParser();
    expect(parser.push('retry: 2000\n\nid: 41\n\n')).toEqual([{ retry: 2000 }, { id: '41' }]);
    expect(parser.lastEventId()).toBe('41');
    expect(parser.push('event: x\ndata: 1\n\n')).toEqual([{ event: 'x', data: '1' }]);
    expect(parser.lastEventId()).toBe('41');
  });
});
