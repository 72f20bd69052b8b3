import { describe, expect, it } from 'vitest';
import type { AssistantStreamEvent, Message, MessageDelta, RunStep, Thread } from '../../shared/openai-types';
import { assistantMessage, newStep } from '../lifecycle/wire-objects';
import { newRunScope } from '../test-support/run-stream-scope';
import { RunEventTranslator } from './run-event-translator';
import { textPieces } from './text-pieces';

const scope = newRunScope();

function message(text: string, status: Message['status'] = 'in_progress', runId = 'run_1'): Message {
  const written = assistantMessage('thread_1', runId, 'asst_1', text, 100);
  return { ...written, id: 'msg_1', status, completed_at: status === 'completed' ? 100 : null };
}

const names = (events: AssistantStreamEvent[]) => events.map((event) => event.event);
const deltaValues = (events: AssistantStreamEvent[]) =>
  events.flatMap((event) =>
    event.event === 'thread.message.delta'
      ? (event.data as MessageDelta).delta.content.map((part) => part.text.value ?? '')
      : [],
  );

describe('RunEventTranslator', () => {
  it('a message that grows over several writes (a model) yields one delta per growth', () => {
    const translator = new RunEventTranslator(scope);
    const created = translator.translate({ object: 'message', change: 'created', message: message('') });
    expect(names(created)).toEqual(['thread.message.created', 'thread.message.in_progress']);
    expect((created[0]!.data as Message).content).toEqual([]);

    const growths = ['Hel', 'Hello', 'Hello, wor', 'Hello, world.'];
    const deltas = growths.flatMap((text) =>
      translator.translate({ object: 'message', change: 'updated', message: message(text) }),
    );
    expect(deltaValues(deltas)).toEqual(['Hel', 'lo', ', wor', 'ld.']);

    const done = translator.translate({
      object: 'message',
      change: 'updated',
      message: message('Hello, world.', 'completed'),
    });
    expect(names(done)).toEqual(['thread.message.completed']);
    // A later write that changes neither text nor status (metadata) says nothing.
    expect(
      translator.translate({
        object: 'message',
        change: 'updated',
        message: message('Hello, world.', 'completed'),
      }),
    ).toEqual([]);
  });

  it('a reply written whole is cut into word pieces that join back into it', () => {
    const text = 'A reply written in one go, with a longwordthatgoesonandonbeyondonepiece and more.';
    const translator = new RunEventTranslator(scope);
    const events = translator.translate({
      object: 'message',
      change: 'created',
      message: message(text, 'completed'),
    });
    expect(names(events).at(-1)).toBe('thread.message.completed');
    const pieces = deltaValues(events);
    expect(pieces.join('')).toBe(text);
    expect(pieces).toEqual(textPieces(text));
    expect(pieces.length).toBeGreaterThan(5);
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThanOrEqual(24);
  });

  it('ignores other runs, user messages and bulk resyncs', () => {
    const translator = new RunEventTranslator(scope);
    expect(
      translator.translate({
        object: 'message',
        change: 'created',
        message: message('x', 'completed', 'run_2'),
      }),
    ).toEqual([]);
    expect(
      translator.translate({
        object: 'message',
        change: 'created',
        message: { ...message('hi'), run_id: null },
      }),
    ).toEqual([]);
    expect(translator.translate({ object: 'resync', reason: 'seed', threadIds: ['thread_1'] })).toEqual([]);
  });

  it('continuing a run (submit): steps it already showed only announce their new status', () => {
    const step: RunStep = newStep(
      { threadId: 'thread_1', runId: 'run_1', assistantId: 'asst_1', createdAt: 100 },
      {
        type: 'tool_calls',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}', output: null } },
        ],
      },
    );
    const translator = new RunEventTranslator({
      ...scope,
      knownStatus: 'requires_action',
      knownSteps: [step],
    });
    const completed: RunStep = { ...step, status: 'completed', completed_at: 101 };
    expect(names(translator.translate({ object: 'step', change: 'updated', step: completed }))).toEqual([
      'thread.run.step.completed',
    ]);
  });

  it('the thread deleted mid-stream ends it with an error event, and nothing after', () => {
    const translator = new RunEventTranslator(scope);
    const thread: Thread = {
      id: 'thread_1',
      object: 'thread',
      created_at: 1,
      tool_resources: {},
      metadata: {},
    };
    const events = translator.translate({ object: 'thread', change: 'deleted', thread });
    expect(events).toEqual([
      {
        event: 'error',
        data: { message: 'The thread thread_1 was deleted.', type: 'server_error', param: null, code: null },
      },
    ]);
    expect(translator.ended).toBe(true);
    expect(translator.translate({ object: 'message', change: 'created', message: message('late') })).toEqual(
      [],
    );
  });
});
