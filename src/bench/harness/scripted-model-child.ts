/** The child of `startScriptedModelProcess`: the scripted chat server answering every request with argv[2]. */
import {
  startScriptedChatServer,
  type ScriptedReply,
} from '../../assistants-server/llm-executor/test-support/scripted-chat-server';

const reply = JSON.parse(process.argv[2] ?? '{}') as ScriptedReply;
const model = await startScriptedChatServer({ fallback: () => reply });
process.on('message', () => process.send?.({ abandoned: model.abandoned() }));
process.send?.({ url: model.url });
