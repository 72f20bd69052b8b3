import type { Assistant } from '../../shared/openai-types';
import { newId } from '../ids';
import type { StoreTables } from '../store/assistants-store';

/** An assistant on gpt-4o without tools, written straight into the store (tests that drive the lifecycle directly). */
export async function insertAssistant(store: StoreTables, createdAt: number): Promise<Assistant> {
  const assistant: Assistant = {
    object: 'assistant',
    id: newId('asst'),
    model: 'gpt-4o',
    created_at: createdAt,
    metadata: {},
    name: null,
    tools: [],
    description: null,
    top_p: 1,
    instructions: null,
    temperature: 1,
    tool_resources: {},
    response_format: 'auto',
  };
  await store.assistants.insert(assistant);
  return assistant;
}
