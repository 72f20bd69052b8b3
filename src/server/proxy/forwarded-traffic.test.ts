import { describe, expect, it } from 'vitest';
import { makeRun } from '../../shared/test-support/run-fixture';
import { trafficOfAnswer, trafficOfEvents, type ForwardedExchange } from './forwarded-traffic';

const exchange = (template: string, segments: string[], more: Partial<ForwardedExchange> = {}) => ({
  method: 'POST',
  template,
  segments,
  requestBody: null,
  streamed: false,
  fromDashboard: false,
  ...more,
});

describe('what a forwarded exchange shows', () => {
  it('names the thread of the path and takes every run of a listed page', () => {
    const runs = [
      makeRun({ id: 'run_a', thread_id: 'thread_1' }),
      makeRun({ id: 'run_b', thread_id: 'thread_1' }),
    ];
    const seen = trafficOfAnswer(
      exchange('threads/{thread_id}/runs', ['threads', 'thread_1', 'runs'], { method: 'GET' }),
      { object: 'list', data: runs, has_more: false },
    );
    expect(seen.threadIds).toEqual(['thread_1', 'thread_1', 'thread_1']);
    expect(seen.runs.map((run) => run.id)).toEqual(['run_a', 'run_b']);
    expect(seen.createdThreadIds).toEqual([]);
  });

  it("takes create-thread-and-run's new thread, with the metadata of its request", () => {
    const run = makeRun({ id: 'run_a', thread_id: 'thread_new', created_at: 1_700_000_000 });
    const seen = trafficOfAnswer(
      exchange('threads/runs', ['threads', 'runs'], {
        requestBody: { thread: { metadata: { customer: 'acme' } } },
      }),
      run,
    );
    expect(seen.createdThreadIds).toEqual(['thread_new']);
    expect(seen.threads).toEqual([
      {
        id: 'thread_new',
        object: 'thread',
        created_at: 1_700_000_000,
        metadata: { customer: 'acme' },
        tool_resources: null,
      },
    ]);
  });

  it('sees a deleted thread, and learns nothing from an unknown object', () => {
    const deleted = trafficOfAnswer(
      exchange('threads/{thread_id}', ['threads', 'thread_1'], { method: 'DELETE' }),
      {
        id: 'thread_1',
        object: 'thread.deleted',
        deleted: true,
      },
    );
    expect(deleted.deletedThreadIds).toEqual(['thread_1']);
    const other = trafficOfAnswer(exchange('assistants', ['assistants']), {
      id: 'x',
      object: 'vector_store',
    });
    expect(other.runs.length + other.threads.length + other.assistants.length + other.threadIds.length).toBe(
      0,
    );
  });

  it('reads thread and run events (CRLF or LF, data over several lines) and skips deltas, steps and broken data', () => {
    const run = makeRun({ id: 'run_s', thread_id: 'thread_s' });
    const runJson = JSON.stringify(run);
    // Split between two JSON tokens: the lines are joined with a newline.
    const cut = runJson.indexOf(',') + 1;
    const text =
      `event: thread.created\r\ndata: {"id":"thread_s","object":"thread","created_at":1,"metadata":{},"tool_resources":null}\r\n\r\n` +
      `event: thread.run.created\ndata: ${runJson.slice(0, cut)}\ndata: ${runJson.slice(cut)}\n\n` +
      `event: thread.run.step.created\ndata: ${JSON.stringify({ id: 'step_1', object: 'thread.run.step', thread_id: 'thread_other' })}\n\n` +
      `event: thread.message.delta\ndata: {"id":"msg_1","object":"thread.message.delta"}\n\n` +
      `event: thread.run.completed\ndata: {not json\n\n`;
    const seen = trafficOfEvents(exchange('threads/runs', ['threads', 'runs'], { streamed: true }), text);
    expect(seen.threads.map((thread) => thread.id)).toEqual(['thread_s']);
    expect(seen.createdThreadIds).toEqual(['thread_s', 'thread_s']);
    expect(seen.runs.map((indexed) => indexed.id)).toEqual(['run_s']);
    expect(seen.threadIds).not.toContain('thread_other');
  });
});
