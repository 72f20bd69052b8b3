import {
  isTerminalStatus,
  type ApiError,
  type AssistantStreamEvent,
  type FileSearchToolCallDelta,
  type FunctionToolCallDelta,
  type Message,
  type TextAnnotation,
  type TextContentDelta,
  type Run,
  type RunStatus,
  type RunStep,
} from '../../shared/openai-types';
import type { LifecycleEvent } from '../events/lifecycle-events';
import { startedMessage, startedStep } from '../lifecycle/wire-objects';
import { textPieces } from './text-pieces';
import { stepAsAsked } from '../run-search/step-include';

/** Which run a stream follows, and what its client already knows of it. */
export interface RunStreamScope {
  threadId: string;
  runId: string;
  /** Create thread and run: the thread's creation is the stream's first event. */
  announceThread: boolean;
  /** Run create's `include[]` asked for file_search results' content: the steps streamed carry it. */
  includeSearchContent: boolean;
  /** The run's status the client last saw (submit tool outputs continues from requires_action); null for a new run. */
  knownStatus: RunStatus | null;
  /** Steps and messages the client already saw in full (submit tool outputs continues the run that showed them). */
  knownSteps: RunStep[];
  knownMessages: Message[];
}

interface SentStep {
  status: RunStep['status'];
  /** The arguments sent so far, per tool call index. */
  arguments: string[];
}

interface SentMessage {
  status: Message['status'];
  /** The text sent so far, per content index. */
  texts: string[];
  /** How many annotations were sent, per content index. */
  annotations: number[];
}

/**
 * Turns the committed changes of one run (its lifecycle events) into OpenAI's stream events, in OpenAI's order.
 * Whatever wrote them, a step or message the client has not seen yet is announced (`created`, `in_progress`),
 * the difference between what the client has and what the store holds goes out as deltas (text and tool-call
 * arguments, cut into pieces), and a new status goes out as its own event. So a message whose text grows over
 * several writes yields one delta per growth, and a reply written whole yields several.
 */
export class RunEventTranslator {
  private runStatus: RunStatus | null;
  private readonly steps = new Map<string, SentStep>();
  private readonly messages = new Map<string, SentMessage>();
  private finished = false;

  constructor(private readonly scope: RunStreamScope) {
    this.runStatus = scope.knownStatus;
    for (const step of scope.knownSteps) {
      this.steps.set(step.id, { status: step.status, arguments: callArguments(step) });
    }
    for (const message of scope.knownMessages) {
      this.messages.set(message.id, {
        status: message.status,
        texts: texts(message),
        annotations: message.content.map((part) => part.text.annotations.length),
      });
    }
  }

  /** True once the stream has said all it will: the run stopped for tool outputs, ended, or went away. */
  get ended(): boolean {
    return this.finished;
  }

  translate(event: LifecycleEvent): AssistantStreamEvent[] {
    if (this.finished) return [];
    switch (event.object) {
      case 'thread':
        if (event.thread.id !== this.scope.threadId) return [];
        if (event.change === 'deleted') return this.fail(`The thread ${event.thread.id} was deleted.`);
        return event.change === 'created' && this.scope.announceThread
          ? [{ event: 'thread.created', data: event.thread }]
          : [];
      case 'run':
        if (event.run.id !== this.scope.runId) return [];
        if (event.change === 'deleted') return this.fail(`The run ${event.run.id} was deleted.`);
        return this.runChanged(event.run, event.change === 'created');
      case 'step':
        return event.step.run_id === this.scope.runId ? this.stepChanged(event.step) : [];
      case 'message':
        return event.message.run_id === this.scope.runId ? this.messageChanged(event.message) : [];
      case 'assistant':
      case 'resync':
        return [];
    }
  }

  /** An error event ends the stream (the SDK throws it as an APIError). */
  fail(message: string, type = 'server_error'): AssistantStreamEvent[] {
    if (this.finished) return [];
    this.finished = true;
    const error: ApiError = { message, type, param: null, code: null };
    return [{ event: 'error', data: error }];
  }

  private runChanged(run: Run, created: boolean): AssistantStreamEvent[] {
    const out: AssistantStreamEvent[] = [];
    if (created) out.push({ event: 'thread.run.created', data: run });
    if (run.status === this.runStatus) return out;
    this.runStatus = run.status;
    out.push({ event: `thread.run.${run.status}`, data: run });
    if (run.status === 'requires_action' || isTerminalStatus(run.status)) this.finished = true;
    return out;
  }

  private stepChanged(step: RunStep): AssistantStreamEvent[] {
    const out: AssistantStreamEvent[] = [];
    let sent = this.steps.get(step.id);
    if (!sent) {
      sent = { status: 'in_progress', arguments: [] };
      this.steps.set(step.id, sent);
      const snapshot = announcedStep(step);
      out.push({ event: 'thread.run.step.created', data: snapshot });
      out.push({ event: 'thread.run.step.in_progress', data: snapshot });
    }
    if (step.step_details.type === 'tool_calls') {
      step.step_details.tool_calls.forEach((call, index) => {
        const known = sent.arguments[index];
        if (call.type === 'file_search') {
          // OpenAI's delta of a search: its id and type, `file_search: {}`; the results come with the step's status.
          if (known === undefined)
            out.push(stepDelta(step.id, { index, id: call.id, type: 'file_search', file_search: {} }));
          sent.arguments[index] = '';
          return;
        }
        if (known === undefined) {
          out.push(
            stepDelta(step.id, {
              index,
              id: call.id,
              type: 'function',
              function: { name: call.function.name, arguments: '', output: null },
            }),
          );
        }
        const already = known ?? '';
        if (call.function.arguments.length > already.length && call.function.arguments.startsWith(already)) {
          for (const piece of textPieces(call.function.arguments.slice(already.length))) {
            out.push(stepDelta(step.id, { index, type: 'function', function: { arguments: piece } }));
          }
        }
        sent.arguments[index] = call.function.arguments;
      });
    }
    if (step.status !== sent.status) {
      sent.status = step.status;
      out.push({
        event: `thread.run.step.${step.status}`,
        data: stepAsAsked(step, this.scope.includeSearchContent),
      });
    }
    return out;
  }

  private messageChanged(message: Message): AssistantStreamEvent[] {
    const out: AssistantStreamEvent[] = [];
    let sent = this.messages.get(message.id);
    if (!sent) {
      sent = { status: 'in_progress', texts: [], annotations: [] };
      this.messages.set(message.id, sent);
      const snapshot = startedMessage(message);
      out.push({ event: 'thread.message.created', data: snapshot });
      out.push({ event: 'thread.message.in_progress', data: snapshot });
    }
    message.content.forEach((part, index) => {
      const already = sent.texts[index] ?? '';
      const value = part.text.value;
      const annotated = sent.annotations[index] ?? 0;
      const fresh = part.text.annotations.slice(annotated);
      const grew = value.length > already.length && value.startsWith(already);
      const deltas = textDeltas(index, grew ? already.length : value.length, value, fresh, annotated);
      for (const delta of deltas) out.push(messageDelta(message.id, delta));
      sent.texts[index] = value;
      sent.annotations[index] = part.text.annotations.length;
    });
    if (message.status !== sent.status) {
      sent.status = message.status;
      out.push({ event: `thread.message.${message.status}`, data: message });
    }
    return out;
  }
}

/** A step as its `created` event shows it: in_progress, and its tool calls still to come (as deltas). */
function announcedStep(step: RunStep): RunStep {
  const started = startedStep(step);
  return started.step_details.type === 'tool_calls'
    ? { ...started, step_details: { type: 'tool_calls', tool_calls: [] } }
    : started;
}

/**
 * The deltas of a text part that grew from `from` to the end of `value` and got `fresh` annotations (numbered from
 * `firstIndex`): the new text in pieces, where an annotation whose marker is in the new text arrives with it, as
 * its own delta (as OpenAI streamed a citation); annotations of text sent earlier (a model's reply, annotated when
 * it ends) follow in one delta with no text.
 */
function textDeltas(
  index: number,
  from: number,
  value: string,
  fresh: readonly TextAnnotation[],
  firstIndex: number,
): TextContentDelta[] {
  const deltas: TextContentDelta[] = [];
  const text = (piece: string) => ({ index, type: 'text' as const, text: { value: piece, annotations: [] } });
  const numbered = fresh.map((annotation, offset) => ({ ...annotation, index: firstIndex + offset }));
  const earlier = numbered.filter((annotation) => annotation.start_index < from);
  let at = from;
  for (const annotation of numbered) {
    if (annotation.start_index < at || annotation.end_index > value.length) continue;
    for (const piece of textPieces(value.slice(at, annotation.start_index))) deltas.push(text(piece));
    const marker = value.slice(annotation.start_index, annotation.end_index);
    deltas.push({ index, type: 'text', text: { value: marker, annotations: [annotation] } });
    at = annotation.end_index;
  }
  for (const piece of textPieces(value.slice(at))) deltas.push(text(piece));
  if (earlier.length > 0) deltas.push({ index, type: 'text', text: { annotations: earlier } });
  return deltas;
}

function messageDelta(id: string, content: TextContentDelta): AssistantStreamEvent {
  return {
    event: 'thread.message.delta',
    data: { id, object: 'thread.message.delta', delta: { content: [content] } },
  };
}

function stepDelta(id: string, call: FunctionToolCallDelta | FileSearchToolCallDelta): AssistantStreamEvent {
  return {
    event: 'thread.run.step.delta',
    data: {
      id,
      object: 'thread.run.step.delta',
      delta: { step_details: { type: 'tool_calls', tool_calls: [call] } },
    },
  };
}

function callArguments(step: RunStep): string[] {
  return step.step_details.type === 'tool_calls'
    ? step.step_details.tool_calls.map((call) => (call.type === 'function' ? call.function.arguments : ''))
    : [];
}

function texts(message: Message): string[] {
  return message.content.map((part) => part.text.value);
}
