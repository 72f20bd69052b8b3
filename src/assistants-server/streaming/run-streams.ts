import type { LifecycleEvent, LifecycleEvents } from '../events/lifecycle-events';
import type { RunStreamScope } from './run-event-translator';
import { RunStream } from './run-stream';
import { SSE_HEADERS } from './sse-frames';

/**
 * Events held for a stream while the write that starts it runs, before it knows its run: every event of the server
 * in that time (on PostgreSQL, every instance's). Past this many the stream cannot be told what it missed and fails
 * at once with an error event, rather than hold without bound.
 */
export const DEFAULT_MAX_HELD_EVENTS = 10_000;

/**
 * Every open `stream: true` answer. Each subscribes to the lifecycle seam while it is open and leaves it when it
 * closes (done, the client gone, or the emulator closing), so the seam's listener count returns where it was.
 */
export class RunStreams {
  private readonly open = new Set<RunStream>();

  constructor(
    private readonly events: LifecycleEvents,
    private readonly maxHeldEvents = DEFAULT_MAX_HELD_EVENTS,
  ) {}

  /**
   * Runs `begin` (the write that starts or continues the run) while already listening, so none of its changes is
   * missed; they are held until `begin` says which run they belong to. If `begin` throws, nothing is streamed and
   * the refusal propagates (answered as a plain JSON error, as OpenAI does before a stream starts).
   */
  async start(begin: () => Promise<RunStreamScope>, signal?: AbortSignal): Promise<Response> {
    const held: LifecycleEvent[] = [];
    let overflowed = false;
    let stream: RunStream | null = null;
    const unsubscribe = this.events.subscribe(({ event }) => {
      if (stream) stream.push(event);
      else if (held.length < this.maxHeldEvents) held.push(event);
      else overflowed = true;
    });
    let scope: RunStreamScope;
    try {
      scope = await begin();
    } catch (error) {
      unsubscribe();
      throw error;
    }
    const opened = new RunStream(scope, (closed) => {
      unsubscribe();
      this.open.delete(closed);
      signal?.removeEventListener('abort', onAbort);
    });
    const onAbort = () => opened.close();
    this.open.add(opened);
    signal?.addEventListener('abort', onAbort, { once: true });
    stream = opened;
    if (overflowed)
      opened.fail('The stream fell behind while the run started; retrieve the run to follow it.');
    for (const event of held) opened.push(event);
    if (signal?.aborted) opened.close();
    return new Response(opened.body, { status: 200, headers: SSE_HEADERS });
  }

  /** How many streams are open. */
  get size(): number {
    return this.open.size;
  }

  /** Ends every open stream with an error event: the emulator is going away. */
  closeAll(message: string): void {
    for (const stream of [...this.open]) stream.fail(message);
  }
}
