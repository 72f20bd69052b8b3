import { afterEach, expect, it } from 'vitest';
import { assistantMessage, textContent } from '../lifecycle/wire-objects';
import { AssistantsStore } from './assistants-store';

let store: AssistantsStore;
afterEach(() => store.close());

function growingMessage() {
  store = new AssistantsStore(':memory:');
  const message = assistantMessage('thread_1', 'run_1', 'asst_1', '', 100);
  message.status = 'in_progress';
  store.messages.insert(message);
  return message;
}

function grow(message: ReturnType<typeof growingMessage>, delta: string) {
  message.content = textContent(message.content[0]!.text.value + delta);
  store.messages.appendText(message, delta);
}

it('text appended to a growing message is read back in every read, in order', () => {
  const message = growingMessage();
  grow(message, 'Sunny');
  grow(message, ', 24 °C');
  grow(message, ' in Paris.');
  const text = 'Sunny, 24 °C in Paris.';
  expect(store.messages.get('thread_1', message.id)?.content[0]!.text.value).toBe(text);
  expect(store.messages.inThread('thread_1').map((m) => m.content[0]!.text.value)).toEqual([text]);
  const page = store.messages.page('thread_1', 'run_1', { limit: 20, order: 'desc' });
  expect('rows' in page && page.rows.map((row) => JSON.parse(row.body).content[0].text.value)).toEqual([
    text,
  ]);
});

it('a whole write replaces the appended text (a restart writes the message again from the start)', () => {
  const message = growingMessage();
  grow(message, 'Half an ans');
  store.messages.update({ ...message, content: textContent('') });
  const fresh = { ...message, content: textContent('') };
  grow(fresh, 'The whole answer.');
  expect(store.messages.get('thread_1', message.id)?.content[0]!.text.value).toBe('The whole answer.');
  store.messages.update({ ...fresh, status: 'completed' });
  expect(store.messages.get('thread_1', message.id)).toMatchObject({
    status: 'completed',
    content: [{ text: { value: 'The whole answer.' } }],
  });
});

it('the event of a growth carries the delta and the text so far', () => {
  const message = growingMessage();
  const seen: Array<[string | undefined, string]> = [];
  store.events.subscribe(({ event }) => {
    if (event.object === 'message') seen.push([event.textDelta, event.message.content[0]!.text.value]);
  });
  grow(message, 'One');
  grow(message, ' two');
  expect(seen).toEqual([
    ['One', 'One'],
    [' two', 'One two'],
  ]);
});
