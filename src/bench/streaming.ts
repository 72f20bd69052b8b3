import { textPieces } from '../assistants-server/streaming/text-pieces';
import { readSse, type SseFrame } from '../assistants-server/test-support/sse-reader';
import { loadavg } from 'node:os';
import type { ListResponse, Message, MessageDelta } from '../shared/openai-types';
import { createSseParser, type SseBlock } from '../shared/sse-parser';
import type { BenchContext } from './harness/bench-context';
import type { Figure } from './harness/figures';
import { V1_HEADERS } from './harness/v1-headers';
import { startMonitoredServer, type MonitoredServer } from './harness/monitored-server-process';
import { round, summarize } from './harness/stats';

const GROUP = 'Streaming';
const CONCURRENT_STREAMS = 200;
const FIRST_EVENT_P95_TARGET_MS = 100;
const LOOP_DELAY_P99_TARGET_MS = 50;
/**
 * Events of a streamed create-thread-and-run without tools, besides its text deltas: thread.created, run created,
 * queued, in_progress, step created, in_progress, message created, in_progress, message completed, step completed,
 * run completed, done.
 */
const EVENTS_BESIDES_DELTAS = 12;

const HEADERS = V1_HEADERS;

/**
 * Streamed runs (`stream: true`) against the real server in its own process, which measures its own event loop and
 * memory: time to the first event, then 200 streams open at once (every event delivered, event-loop delay, memory).
 */
export async function measureStreaming(context: BenchContext): Promise<Figure[]> {
  const server = await startMonitoredServer();
  try {
    const assistant = (await (
      await fetch(`${server.url}/v1/assistants`, {
        method: 'POST',
        headers: HEADERS,
        body: JSON.stringify({ model: 'gpt-4o', name: 'Stream bench' }),
      })
    ).json()) as { id: string };
    const samples = context.durations.latencySamples >= 1_000 ? 300 : 60;
    context.log(`streaming: time to first event over ${samples} streams`);
    const firstEvent = await timeToFirstEvent(server, assistant.id, samples);
    context.log(`streaming: ${CONCURRENT_STREAMS} concurrent streams`);
    const concurrent = await concurrentStreams(server, assistant.id);
    return [...firstEvent, ...concurrent];
  } finally {
    await server.stop();
  }
}

function openStream(server: MonitoredServer, assistantId: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${server.url}/v1/threads/runs`, {
    method: 'POST',
    headers: HEADERS,
    signal,
    body: JSON.stringify({
      assistant_id: assistantId,
      stream: true,
      thread: { messages: [{ role: 'user', content: 'How is the stream doing today?' }] },
    }),
  });
}

async function timeToFirstEvent(
  server: MonitoredServer,
  assistantId: string,
  count: number,
): Promise<Figure[]> {
  const times: number[] = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    const abort = new AbortController();
    const response = await openStream(server, assistantId, abort.signal);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const parser = createSseParser();
    let first: SseBlock | undefined;
    while (!first) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream closed before its first event');
      first = parser.push(decoder.decode(value, { stream: true }))[0];
    }
    times.push(performance.now() - started);
    if (first.event !== 'thread.created')
      throw new Error(`unexpected first event: ${JSON.stringify(first.event)}`);
    // The client leaves; the run goes on without it.
    abort.abort();
    await reader.cancel().catch(() => {});
  }
  const summary = summarize(times);
  const load = loadavg()
    .map((value) => round(value))
    .join(' / ');
  return [
    {
      group: GROUP,
      name: 'time to first event, p95',
      value: round(summary.p95!),
      unit: 'ms',
      target: { comparison: '<=', value: FIRST_EVENT_P95_TARGET_MS },
      detail:
        `p50 ${round(summary.p50!)} ms, max ${round(summary.max!)} ms over ${summary.count} create-thread-and-run ` +
        'streams, one after another, on loopback: from sending the POST to reading the whole thread.created frame',
      notes: `Load average ${load} when measured (client and server share the machine's cores).`,
    },
  ];
}

interface StreamOutcome {
  frames: SseFrame[];
  threadId: string | null;
}

async function concurrentStreams(server: MonitoredServer, assistantId: string): Promise<Figure[]> {
  await server.reset();
  const before = await server.sample();
  const firstFrames: Array<Promise<void>> = [];
  const streams: Array<Promise<StreamOutcome>> = [];
  const started = performance.now();
  for (let index = 0; index < CONCURRENT_STREAMS; index++) {
    const reading = openStream(server, assistantId).then(readSse);
    firstFrames.push(
      reading.then(async (stream) => {
        while (stream.frames.length === 0) await new Promise((done) => setTimeout(done, 5));
      }),
    );
    streams.push(
      reading.then(async (stream) => {
        const frames = await stream.ended;
        const thread = frames.find((frame) => frame.event === 'thread.created')?.data as
          { id: string } | undefined;
        return { frames, threadId: thread?.id ?? null };
      }),
    );
  }
  await Promise.all(firstFrames);
  const allOpen = await server.sample();
  const outcomes = await Promise.all(streams);
  const elapsedMs = performance.now() - started;
  const after = await server.sample();

  let delivered = 0;
  let expected = 0;
  let mismatched = 0;
  for (const outcome of outcomes) {
    delivered += outcome.frames.length;
    const text = outcome.threadId ? await storedReply(server, outcome.threadId) : null;
    if (text === null) {
      mismatched++;
      continue;
    }
    expected += EVENTS_BESIDES_DELTAS + textPieces(text).length;
    const completed = outcome.frames.some((frame) => frame.event === 'thread.run.completed');
    if (!completed || outcome.frames.at(-1)?.event !== 'done' || deltaText(outcome.frames) !== text)
      mismatched++;
  }
  const deliveredPercent = expected ? (delivered / expected) * 100 : 0;
  const busy = `the server used ${round((after.cpuMs - before.cpuMs) / 1000)} s of CPU in those ${round(elapsedMs / 1000)} s; load average ${loadavg()
    .map((value) => round(value))
    .join(' / ')}`;
  return [
    {
      group: GROUP,
      name: `events delivered, ${CONCURRENT_STREAMS} concurrent streams`,
      value: round(deliveredPercent),
      unit: '% of expected',
      target: { comparison: '>=', value: 100 },
      detail:
        `${delivered} of ${expected} events; ${mismatched} streams whose text or ending differed from the stored run; ` +
        `all ${CONCURRENT_STREAMS} runs (create thread and run, time scale 1) done in ${round(elapsedMs / 1000)} s`,
    },
    {
      group: GROUP,
      name: `server event-loop delay p99, ${CONCURRENT_STREAMS} concurrent streams`,
      value: round(after.loopDelayMs.p99),
      unit: 'ms',
      target: { comparison: '<=', value: LOOP_DELAY_P99_TARGET_MS },
      detail: `p50 ${round(after.loopDelayMs.p50)} ms, max ${round(after.loopDelayMs.max)} ms (monitorEventLoopDelay in the server process, 5 ms resolution, from opening the streams to the last done)`,
      notes: `Wall-clock delay, so time the machine gives other processes counts: ${busy}.`,
    },
    {
      group: GROUP,
      name: `server memory with ${CONCURRENT_STREAMS} streams open`,
      value: round(allOpen.rssMb),
      unit: 'MB RSS',
      detail:
        `heap used ${round(allOpen.heapUsedMb)} MB (${round(before.heapUsedMb)} MB before, ${round(after.heapUsedMb)} MB after the runs ended); ` +
        `RSS ${round(before.rssMb)} MB before, ${round(after.rssMb)} MB after`,
    },
  ];
}

async function storedReply(server: MonitoredServer, threadId: string): Promise<string | null> {
  const response = await fetch(`${server.url}/v1/threads/${threadId}/messages?limit=1`, { headers: HEADERS });
  const list = (await response.json()) as ListResponse<Message>;
  const message = list.data[0];
  return message?.role === 'assistant' ? (message.content[0]?.text.value ?? null) : null;
}

function deltaText(frames: SseFrame[]): string {
  return frames
    .filter((frame) => frame.event === 'thread.message.delta')
    .map((frame) => (frame.data as MessageDelta).delta.content.map((part) => part.text.value).join(''))
    .join('');
}
