import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Hono } from 'hono';
import { createQuietAssistantsServer } from '../assistants-server/test-support/quiet-server';
import { mulberry32 } from '../assistants-server/emulation/faults/fault-random';
import type { BenchContext } from './harness/bench-context';
import type { Figure } from './harness/figures';
import { round, summarize } from './harness/stats';

const GROUP = 'Vector stores (/v1)';
const FILES = 200;
/** About 1,500 o200k tokens a file: two `auto` chunks each. */
const WORDS_PER_FILE = 1_100;
const SEARCHES = 200;

/**
 * `/v1/vector_stores` in process (the server's routes through `app.request`, no socket): uploads 200 text files,
 * adds them as one batch, and measures the batch's answer time (processing is off the request path), how fast the
 * queue processes them (default concurrency 2), how long a read of the store takes while they are processed (the
 * event loop is shared with indexing), and search latency over the store afterwards.
 */
export async function measureVectorStores(context: Pick<BenchContext, 'log'>): Promise<Figure[]> {
  const emulator = await createQuietAssistantsServer();
  const app = new Hono().route('/v1', emulator.api);
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await app.request(`/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<Record<string, unknown>>;
  };
  const load = () =>
    `load average ${loadavg()
      .map((value) => value.toFixed(1))
      .join(' ')}`;
  try {
    const random = mulberry32(11);
    const words = Array.from(
      { length: 5_000 },
      (_, index) => `w${index.toString(36)}${Math.floor(random() * 1e6)}`,
    );
    context.log(`vector stores: uploading ${FILES} files`);
    const fileIds: string[] = [];
    let bytes = 0;
    for (let index = 0; index < FILES; index++) {
      const text = Array.from(
        { length: WORDS_PER_FILE },
        () => words[Math.floor(random() * words.length)],
      ).join(' ');
      bytes += text.length;
      const form = new FormData();
      form.set('file', new Blob([text]), `doc-${index}.txt`);
      form.set('purpose', 'assistants');
      const response = await app.request('/v1/files', { method: 'POST', body: form });
      fileIds.push(((await response.json()) as { id: string }).id);
    }
    const store = await call('POST', '/vector_stores', { name: 'bench' });
    const storeId = store.id as string;

    context.log('vector stores: one batch of every file, processed off the request path');
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const created = performance.now();
    await call('POST', `/vector_stores/${storeId}/file_batches`, { file_ids: fileIds });
    const answerMs = performance.now() - created;
    const readsMs: number[] = [];
    const done = emulator.vectorStoreFiles.whenIdle();
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished) {
      const started = performance.now();
      await call('GET', `/vector_stores/${storeId}`);
      readsMs.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const processMs = performance.now() - created;
    loopDelay.disable();
    const counts = (await call('GET', `/vector_stores/${storeId}`)).file_counts as { completed: number };
    if (counts.completed !== FILES) throw new Error(`only ${counts.completed} of ${FILES} files completed`);

    context.log(`vector stores: ${SEARCHES} searches`);
    const searchesMs: number[] = [];
    for (let index = 0; index < SEARCHES; index++) {
      const query = Array.from({ length: 6 }, () => words[Math.floor(random() * words.length)]).join(' ');
      const started = performance.now();
      await call('POST', `/vector_stores/${storeId}/search`, { query });
      searchesMs.push(performance.now() - started);
    }
    const reads = summarize(readsMs);
    const searches = summarize(searchesMs);
    const loadNow = load();
    return [
      {
        group: GROUP,
        name: `A batch of ${FILES} files answered (processing off the request path)`,
        value: round(answerMs),
        unit: 'ms',
        detail: `POST /vector_stores/{id}/file_batches with ${FILES} file_ids: checked, written and queued; ${loadNow}`,
      },
      {
        group: GROUP,
        name: 'Files processed per second (read, parse, chunk 800/400, index; no embeddings)',
        value: round(FILES / (processMs / 1000)),
        unit: 'files/s',
        detail: `${FILES} text files of ${WORDS_PER_FILE} words (${Math.round(bytes / 1024)} KB in all), concurrency 2; ${round(processMs)} ms from the batch's create to its last file; ${loadNow}`,
      },
      {
        group: GROUP,
        name: 'GET /vector_stores/{id} p95 while the batch is processed',
        value: round(reads.p95 ?? 0),
        unit: 'ms',
        detail: `${reads.count} reads, every 20 ms; p50 ${round(reads.p50 ?? 0)} ms, max ${round(reads.max ?? 0)} ms; ${loadNow}`,
      },
      {
        group: GROUP,
        name: 'Event loop delay while the batch is processed (p99)',
        value: round(loopDelay.percentile(99) / 1e6),
        unit: 'ms',
        detail: `perf_hooks monitorEventLoopDelay (10 ms resolution); max ${round(loopDelay.max / 1e6)} ms, mean ${round(loopDelay.mean / 1e6)} ms: indexing shares the event loop with requests; ${loadNow}`,
      },
      {
        group: GROUP,
        name: `POST /vector_stores/{id}/search p95 (${FILES * 2} chunks, by words)`,
        value: round(searches.p95 ?? 0),
        unit: 'ms',
        detail: `${searches.count} queries of 6 words, max_num_results 10; p50 ${round(searches.p50 ?? 0)} ms; ${loadNow}`,
      },
    ];
  } finally {
    await emulator.close();
  }
}
