import type { Assistant, Run, Thread } from '../../shared/openai-types';

/**
 * What one forwarded exchange showed of the upstream's objects: the proxy reads it from the request path and body,
 * the JSON answer and the streamed events as they pass, and hands it to whoever indexes them (no request of its own).
 */
export interface SeenTraffic {
  /** Threads named anywhere (a path, a run, a message, a step). */
  threadIds: string[];
  /** Threads whose creation this exchange showed: they have no run besides those it showed. */
  createdThreadIds: string[];
  /** Whole thread objects (their metadata labels the thread). */
  threads: Thread[];
  runs: Run[];
  /** Whole assistant objects (their names label the runs). */
  assistants: Assistant[];
  deletedThreadIds: string[];
  /**
   * Sent by Runboard's own dashboard (`Sec-Fetch-Site: same-origin`, see isFromRunboardPage): its reads never start watching a thread (a
   * person watches with a POST), though what they show of watched threads is still indexed.
   */
  fromDashboard: boolean;
}

export interface TrafficWatcher {
  saw(traffic: SeenTraffic): void;
}

export interface ForwardedExchange {
  method: string;
  /** e.g. `threads/{thread_id}/runs` */
  template: string;
  /** The upstream path's segments, ids in place of the template's names. */
  segments: string[];
  /** The request's JSON body (POST), parsed; null when there is none or it is not JSON. */
  requestBody: unknown;
  /** The answer is a stream of events (a created thread then comes as its own `thread.created` event). */
  streamed: boolean;
  fromDashboard: boolean;
}

/** A JSON answer longer than this is relayed without being read for objects (a page of 100 runs is far below). */
export const MAX_OBSERVED_ANSWER_CHARS = 16 * 1024 * 1024;

function emptyTraffic(fromDashboard: boolean): SeenTraffic {
  return {
    threadIds: [],
    createdThreadIds: [],
    threads: [],
    runs: [],
    assistants: [],
    deletedThreadIds: [],
    fromDashboard,
  };
}

/** The ids in the path, and the objects in a JSON answer (one object, or a list of them). */
export function trafficOfAnswer(exchange: ForwardedExchange, answer: unknown): SeenTraffic {
  const seen = trafficOfPath(exchange);
  const items =
    isObject(answer) && answer.object === 'list' && Array.isArray(answer.data) ? answer.data : [answer];
  for (const item of items) addObject(seen, exchange, item);
  return seen;
}

/**
 * The objects in complete server-sent events (as the relay releases them): `thread.created` and the run events
 * carry whole objects; deltas, messages and steps add nothing the path did not say, so they are not parsed.
 */
export function trafficOfEvents(exchange: ForwardedExchange, text: string): SeenTraffic {
  const seen = trafficOfPath(exchange);
  for (const frame of text.split(/\r\n\r\n|\n\n|\r\r/)) {
    const event = /^event: ?(.*)$/m.exec(frame)?.[1]?.trim();
    if (
      event !== 'thread.created' &&
      !(event?.startsWith('thread.run.') && !event.startsWith('thread.run.step'))
    )
      continue;
    const data = frame
      .split(/\r\n|\n|\r/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5))
      .join('\n');
    try {
      addObject(seen, exchange, JSON.parse(data));
    } catch {
      // Not JSON: relayed as is, nothing learned.
    }
  }
  return seen;
}

export function hasTraffic(seen: SeenTraffic): boolean {
  return [seen.threadIds, seen.threads, seen.runs, seen.assistants, seen.deletedThreadIds].some(
    (list) => list.length > 0,
  );
}

function trafficOfPath(exchange: ForwardedExchange): SeenTraffic {
  const seen = emptyTraffic(exchange.fromDashboard);
  const parts = exchange.template.split('/');
  const at = parts.indexOf('{thread_id}');
  if (at >= 0) seen.threadIds.push(exchange.segments[at]!);
  return seen;
}

function addObject(seen: SeenTraffic, exchange: ForwardedExchange, value: unknown): void {
  if (!isObject(value) || typeof value.id !== 'string') return;
  switch (value.object) {
    case 'thread':
      seen.threads.push(value as unknown as Thread);
      seen.threadIds.push(value.id);
      if (
        exchange.method === 'POST' &&
        (exchange.template === 'threads' || exchange.template === 'threads/runs')
      )
        seen.createdThreadIds.push(value.id);
      return;
    case 'thread.deleted':
      if (value.deleted === true) seen.deletedThreadIds.push(value.id);
      return;
    case 'thread.run': {
      const run = value as unknown as Run;
      if (typeof run.thread_id !== 'string') return;
      seen.runs.push(run);
      seen.threadIds.push(run.thread_id);
      // Create thread and run: the run's thread was made by this very request, with the body's metadata.
      if (exchange.method === 'POST' && exchange.template === 'threads/runs') {
        seen.createdThreadIds.push(run.thread_id);
        if (!exchange.streamed) seen.threads.push(threadOfCreateAndRun(run, exchange.requestBody));
      }
      return;
    }
    case 'thread.message':
    case 'thread.run.step':
      if (typeof value.thread_id === 'string') seen.threadIds.push(value.thread_id);
      return;
    case 'assistant':
      seen.assistants.push(value as unknown as Assistant);
      return;
    default:
      return;
  }
}

/** The thread `POST /threads/runs` created, as its request described it (its answer is the run alone). */
function threadOfCreateAndRun(run: Run, body: unknown): Thread {
  const thread = isObject(body) && isObject(body.thread) ? body.thread : {};
  return {
    id: run.thread_id,
    object: 'thread',
    created_at: run.created_at,
    metadata: isObject(thread.metadata) ? (thread.metadata as Thread['metadata']) : {},
    tool_resources: isObject(thread.tool_resources)
      ? (thread.tool_resources as Thread['tool_resources'])
      : null,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
