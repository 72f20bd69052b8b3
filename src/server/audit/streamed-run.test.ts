import { describe, expect, it } from 'vitest';
import { watchStreamedRun, type StreamedRun } from './streamed-run';

const encoder = new TextEncoder();

async function watch(chunks: string[]): Promise<{ runs: StreamedRun[]; passed: string }> {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  const runs: StreamedRun[] = [];
  const passed = await new Response(watchStreamedRun(body, (run) => runs.push(run))).text();
  return { runs, passed };
}

const runEvent = 'event: thread.run.created\r\ndata: {"id":"run_1","thread_id":"thread_1"}\r\n\r\n';

describe('the run of a streamed answer', () => {
  it('is told once from its first thread.run event, split anywhere, and the stream passes unchanged', async () => {
    const text = `event: thread.created\ndata: {"id":"thread_1"}\n\n${runEvent}${runEvent}event: done\ndata: [DONE]\n\n`;
    const { runs, passed } = await watch(text.match(/[\s\S]{1,7}/g)!);
    expect(runs).toEqual([{ runId: 'run_1', threadId: 'thread_1' }]);
    expect(passed).toBe(text);
  });

  it('is not searched for past the first 64 KiB of the stream', async () => {
    const filler = `event: thread.message.delta\ndata: ${JSON.stringify({ text: 'x'.repeat(1_000) })}\n\n`;
    const { runs, passed } = await watch([...Array<string>(70).fill(filler), runEvent]);
    expect(runs).toEqual([]);
    expect(passed.endsWith(runEvent)).toBe(true);
  });
});
