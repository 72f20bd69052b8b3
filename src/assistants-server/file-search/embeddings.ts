import { maskSecret } from '../../platform/secret-mask';
import {
  abortableSleep,
  callWithRetries,
  type Attempt,
  type CallResult,
  type RetryPolicy,
} from '../llm-executor/call-with-retries';
import {
  classifyStatus,
  errorMessage,
  shortened,
  type AttemptFailure,
  type ModelEndpoint,
} from '../llm-executor/chat-client';
import { upstreamModelFor, type ModelExecutorSettings } from '../llm-executor/model-settings';
import { readBounded, UpstreamTooLarge } from '../llm-executor/upstream-reads';

/** How chunks and queries are embedded: the model executor's endpoint, an embedding model, and bounds. */
export interface EmbeddingSettings {
  endpoint: ModelEndpoint;
  /** The upstream's model name (`RUNBOARD_EMBEDDING_MODEL` after the model map), e.g. `nomic-embed-text`. */
  model: string;
  /** Inputs per request. */
  batchSize: number;
  /** The most bytes of one answer read (a batch of vectors as JSON numbers). */
  maxResponseBytes: number;
  /** The longest vector accepted (text-embedding-3-large has 3,072). */
  maxDimensions: number;
  retry: RetryPolicy;
  /** The longest one batch may take, its retries and their waits included. */
  batchDeadlineMs: number;
}

export const DEFAULT_EMBEDDING_LIMITS = {
  batchSize: 64,
  // 64 vectors of 3,072 numbers at about 20 characters each, and room for the envelope.
  maxResponseBytes: 8 * 1024 * 1024,
  maxDimensions: 8_192,
  batchDeadlineMs: 120_000,
} satisfies Partial<EmbeddingSettings>;

/** Embedding settings beside a configured model executor: same endpoint and key, the model named like chat models. */
export function embeddingSettingsFor(
  executor: ModelExecutorSettings,
  embeddingModel: string,
  overrides: Partial<EmbeddingSettings> = {},
): EmbeddingSettings {
  return {
    endpoint: executor.endpoint,
    model: upstreamModelFor(embeddingModel, executor.modelMap),
    retry: executor.retry,
    ...DEFAULT_EMBEDDING_LIMITS,
    ...overrides,
  };
}

export type EmbeddingResult = CallResult<{ vectors: Float32Array[]; promptTokens: number }>;

interface EmbeddingsAnswer {
  data?: Array<{ index?: unknown; embedding?: unknown }>;
  usage?: { prompt_tokens?: unknown };
}

/** The answer did not hold what was asked: one finite vector per input, all of one dimension. */
class BrokenEmbeddings extends Error {}

/**
 * Embeds the texts, `batchSize` at a time, one request after another (`POST {base}/embeddings`, OpenAI's shape,
 * `encoding_format: float`). Each batch retries as a model call does (429 after `Retry-After`, 5xx, timeouts and
 * broken answers after the backoff); the first batch that fails ends the call with its error, masked.
 */
export async function embedTexts(
  settings: EmbeddingSettings,
  texts: readonly string[],
  options: {
    signal?: AbortSignal;
    now?: () => number;
    sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  } = {},
): Promise<EmbeddingResult> {
  const signal = options.signal ?? new AbortController().signal;
  const now = options.now ?? Date.now;
  const vectors: Float32Array[] = [];
  let promptTokens = 0;
  for (let start = 0; start < texts.length; start += settings.batchSize) {
    const batch = texts.slice(start, start + settings.batchSize);
    const result = await callWithRetries(() => attemptEmbeddings(settings, batch, signal), {
      policy: settings.retry,
      signal,
      deadlineMs: now() + settings.batchDeadlineMs,
      now,
      sleep: options.sleep ?? abortableSleep,
    });
    if (!result.ok) return result;
    vectors.push(...result.completion.vectors);
    promptTokens += result.completion.promptTokens;
  }
  return { ok: true, completion: { vectors, promptTokens } };
}

async function attemptEmbeddings(
  settings: EmbeddingSettings,
  input: readonly string[],
  signal: AbortSignal,
): Promise<Attempt<{ vectors: Float32Array[]; promptTokens: number }>> {
  const { endpoint } = settings;
  const timeout = AbortSignal.timeout(endpoint.idleTimeoutMs);
  const failed = (failure: AttemptFailure) => ({
    ok: false as const,
    streamed: false,
    failure:
      signal.aborted || failure.kind === 'aborted'
        ? ({ kind: 'aborted' } as const)
        : { ...failure, message: shortened(maskSecret(failure.message, endpoint.apiKey)) },
  });
  let status: number | null = null;
  try {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (endpoint.apiKey) headers.authorization = `Bearer ${endpoint.apiKey}`;
    const response = await fetch(new URL('embeddings', endpoint.baseUrl), {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: settings.model, input, encoding_format: 'float' }),
      signal: AbortSignal.any([signal, timeout]),
    });
    status = response.status;
    if (!response.ok) return failed(classifyStatus(response, await errorMessage(response)));
    const body = await readBounded(response.body, settings.maxResponseBytes);
    return { ok: true, completion: vectorsOf(body, input.length, settings.maxDimensions) };
  } catch (error) {
    if (signal.aborted) return failed({ kind: 'aborted' });
    const broken = (message: string) => failed({ kind: 'unavailable', status, reason: 'broken', message });
    if (error instanceof BrokenEmbeddings) return broken(error.message);
    if (error instanceof UpstreamTooLarge) {
      return broken(
        `The embeddings answer is over ${settings.maxResponseBytes} bytes (RUNBOARD_EMBEDDING_MAX_BODY_BYTES).`,
      );
    }
    if (timeout.aborted) {
      return failed({
        kind: 'unavailable',
        status,
        reason: 'timeout',
        message: `The embedding model did not answer within ${endpoint.idleTimeoutMs} ms.`,
      });
    }
    return failed({
      kind: 'unavailable',
      status,
      reason: status === null ? 'unreachable' : 'broken',
      message: `The embedding endpoint is unreachable: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}

/** The answer's vectors in input order, checked: one per input, each index once, finite numbers, one dimension. */
function vectorsOf(body: string, count: number, maxDimensions: number) {
  let answer: EmbeddingsAnswer;
  try {
    answer = JSON.parse(body) as EmbeddingsAnswer;
  } catch {
    throw new BrokenEmbeddings('The embeddings answer is not JSON.');
  }
  const data = Array.isArray(answer?.data) ? answer.data : null;
  if (data === null || data.length !== count) {
    throw new BrokenEmbeddings(
      `The embeddings answer holds ${data?.length ?? 'no'} vectors for ${count} inputs.`,
    );
  }
  const vectors: Float32Array[] = new Array(count);
  let dimensions: number | null = null;
  data.forEach((item, position) => {
    const index = item.index ?? position;
    const values = item.embedding;
    if (
      typeof index !== 'number' ||
      !Number.isInteger(index) ||
      index < 0 ||
      index >= count ||
      vectors[index]
    ) {
      throw new BrokenEmbeddings(`The embeddings answer has a wrong or repeated index (${String(index)}).`);
    }
    if (!Array.isArray(values) || values.length === 0 || values.length > maxDimensions) {
      throw new BrokenEmbeddings(
        `The embeddings answer has a vector that is not 1 to ${maxDimensions} numbers.`,
      );
    }
    dimensions ??= values.length;
    if (values.length !== dimensions)
      throw new BrokenEmbeddings('The embeddings answer mixes vector dimensions.');
    if (!values.every((value) => typeof value === 'number' && Number.isFinite(value))) {
      throw new BrokenEmbeddings('The embeddings answer has a vector with values that are not numbers.');
    }
    vectors[index] = Float32Array.from(values as number[]);
  });
  const tokens = answer.usage?.prompt_tokens;
  return { vectors, promptTokens: typeof tokens === 'number' && Number.isFinite(tokens) ? tokens : 0 };
}
