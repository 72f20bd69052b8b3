import { afterEach, expect, it } from 'vitest';
import { assistantMessage, textContent } from '../lifecycle/wire-objects';
import type { AssistantsStore } from './assistants-store';
import { openSqliteStore } from './sqlite-assistants-store';

let store: AssistantsStore;
afterEach(() => store.close());

async function growingMessage() {
  store = openSqliteStore(':memory:');
  const message = assistantMessage('thread_1', 'run_1', 'asst_1', '', 100);
  message.status = 'in_progress';
  await store.messages.insert(message);
  return message;
}

async function grow(message: Awaited<ReturnType<typeof growingMessage>>, delta: string) {
  message.content = textContent(message.content[0]!.text.value + delta);
  await store.messages.appendText(message, delta);
}

it('text appended to a growing message is read back in every read, in order', async () => {
  const message = await growingMessage();
  await grow(message, 'Sunny');
  await grow(message, ', 24 °C');
  await grow(message, ' in Paris.');
  const text = 'Sunny, 24 °C in Paris.';
  expect((await store.messages.get('thread_1', message.id))?.content[0]!.text.value).toBe(text);
  expect((await store.messages.inThread('thread_1')).map((m) => m.content[0]!.text.value)).toEqual([text]);
  const page = await store.messages.page('thread_1', 'run_1', { limit: 20, order: 'desc' });
  expect('rows' in page && page.rows.map((row) => JSON.parse(row.body).content[0].text.value)).toEqual([
    text,
  ]);
});

it('a whole write replaces the appended text (a restart writes the message again from the start)', async () => {
  const message = await growingMessage();
  await grow(message, 'Half an ans');
  await store.messages.update({ ...message, content: textContent('') });
  const fresh = { ...message, content: textContent('') };
  await grow(fresh, 'The whole answer.');
  expect((await store.messages.get('thread_1', message.id))?.content[0]!.text.value).toBe(
    'The whole answer.',
  );
  await store.messages.update({ ...fresh, status: 'completed' });
  expect(await store.messages.get('thread_1', message.id)).toMatchObject({
    status: 'completed',
    content: [{ text: { value: 'The whole answer.' } }],
  });
});

it('the event of a growth carries the delta and the text so far', async () => {
  const message = await growingMessage();
  const seen: Array<[string | undefined, string]> = [];
  store.events.subscribe(({ event }) => {
    if (event.object === 'message') seen.push([event.textDelta, event.message.content[0]!.text.value]);
  });
  await grow(message, 'One');
  await grow(message, ' two');
  expect(seen).toEqual([
    ['One', 'One'],
    [' two', 'One two'],
  ]);
});
