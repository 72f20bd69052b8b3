import { describe, expect, it } from 'vitest';
import type { Message, Run } from '../../../shared/openai-types';
import { messageText, messagesAroundRun } from './messages-around-run';

const message = (id: string, createdAt: number, runId: string | null, text = id): Message =>
  ({
    id,
    created_at: createdAt,
    run_id: runId,
    content: [{ type: 'text', text: { value: text, annotations: [] } }],
  }) as unknown as Message;

describe('messages around a run', () => {
  it('keeps the last three messages written before the run and the ones the run wrote, in order', () => {
    const run = { id: 'run_b', created_at: 50 } as Run;
    const around = messagesAroundRun(
      [
        message('msg_1', 10, null),
        message('msg_2', 20, null),
        message('msg_a', 25, 'run_a'),
        message('msg_3', 30, null),
        message('msg_4', 40, null),
        message('msg_b', 55, 'run_b'),
        message('msg_later', 70, null),
      ],
      run,
    );
    expect(around.map((each) => each.id)).toEqual(['msg_2', 'msg_3', 'msg_4', 'msg_b']);
  });

  it('joins the text parts of a message', () => {
    const twoParts = {
      ...message('m', 1, null),
      content: [
        { type: 'text', text: { value: 'Hello', annotations: [] } },
        { type: 'text', text: { value: 'there', annotations: [] } },
      ],
    } as unknown as Message;
    expect(messageText(twoParts)).toBe('Hello\nthere');
  });
});
