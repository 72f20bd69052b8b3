import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The openai SDK v4 as Experts.js installs it (4.104: vector stores at the top level).
import OpenAIv4, { toFile as toFileV4 } from '../../../node_modules/experts/node_modules/openai';
import { POLICY_DOCUMENTS } from '../../assistants-server/run-search/test-support/search-documents';
import { startListeningEmulator, type ListeningEmulator } from '../test-support/listening-emulator';

/**
 * Assistants code that searches its documents, run by the openai SDK v7 and v4 (the v4 that Experts.js ships) over
 * a real socket through the whole server: three files uploaded and put in a vector store (`fileBatches.
 * createAndPoll`), an assistant with file_search over it, a run whose steps and citations point at the right file,
 * polled and streamed. The scripted executor answers (no model).
 */
const CONTENT = 'step_details.tool_calls[*].file_search.results[*].content' as const;
const { refunds, shipping, security } = POLICY_DOCUMENTS;

let server: ListeningEmulator;
beforeAll(async () => (server = await startListeningEmulator({ timeScale: 50 })));
afterAll(() => server.close());

interface Citation {
  type: string;
  text: string;
  start_index: number;
  end_index: number;
  file_citation?: { file_id: string };
}
interface Answer {
  value: string;
  annotations: Citation[];
}

/** What both SDK versions are asked to do; each implements the calls in its own shape. */
interface SdkFlows {
  /** Uploads the documents, puts them in a new vector store and waits; answers the store and each file's id. */
  createStore(): Promise<{ id: string; fileIds: Record<string, string> }>;
  createAssistant(vectorStoreId: string): Promise<string>;
  createThread(question: string): Promise<string>;
  runAndPoll(threadId: string, assistantId: string): Promise<{ id: string; status: string }>;
  searchResults(threadId: string, runId: string): Promise<Array<Record<string, unknown>>>;
  answer(threadId: string, runId: string): Promise<Answer>;
  stream(
    threadId: string,
    assistantId: string,
  ): Promise<{ toolCallTypes: string[]; deltaAnnotations: Citation[]; final: Answer; status: string }>;
}

function firstText(content: Array<{ type: string }>): Answer {
  const part = content[0] as { type: string; text?: Answer } | undefined;
  if (part?.type !== 'text' || !part.text) throw new Error('the reply has no text');
  return part.text;
}

const tools = [{ type: 'file_search' as const }];
type AnyToFile = (bytes: Buffer, name: string) => Promise<unknown>;

/**
 * The calls both versions make the same way (the thread id first: v7 kept that for these), over either client;
 * only listing a run's steps differs (v7 takes the thread id in the query).
 */
function flowsOver(
  client: CommonClient,
  upload: AnyToFile,
  searchResults: SdkFlows['searchResults'],
): SdkFlows {
  return {
    async createStore() {
      const fileIds: Record<string, string> = {};
      for (const document of [refunds, shipping, security]) {
        const file = await upload(Buffer.from(document.text), document.filename);
        fileIds[document.filename] = (await client.files.create({ file, purpose: 'assistants' })).id;
      }
      const store = await client.vectorStores.create({ name: 'Policies' });
      const batch = await client.vectorStores.fileBatches.createAndPoll(
        store.id,
        { file_ids: Object.values(fileIds) },
        { pollIntervalMs: 20 },
      );
      expect(batch).toMatchObject({ status: 'completed', file_counts: { completed: 3, total: 3 } });
      return { id: store.id, fileIds };
    },
    createAssistant: async (vectorStoreId) =>
      (
        await client.beta.assistants.create({
          model: 'gpt-4o',
          tools,
          tool_resources: { file_search: { vector_store_ids: [vectorStoreId] } },
        })
      ).id,
    createThread: async (question) =>
      (await client.beta.threads.create({ messages: [{ role: 'user', content: question }] })).id,
    runAndPoll: (threadId, assistantId) =>
      client.beta.threads.runs.createAndPoll(threadId, { assistant_id: assistantId }, { pollIntervalMs: 20 }),
    searchResults,
    async answer(threadId, runId) {
      const [reply] = (await client.beta.threads.messages.list(threadId, { run_id: runId })).data;
      return firstText(reply!.content);
    },
    async stream(threadId, assistantId) {
      const stream = client.beta.threads.runs.stream(threadId, { assistant_id: assistantId });
      const toolCallTypes: string[] = [];
      const deltaAnnotations: Citation[] = [];
      stream.on('toolCallCreated', (call: { type: string }) => toolCallTypes.push(call.type));
      stream.on('textDelta', (delta: { annotations?: Citation[] }) =>
        deltaAnnotations.push(...(delta.annotations ?? [])),
      );
      const run = await stream.finalRun();
      const [message] = await stream.finalMessages();
      return { toolCallTypes, deltaAnnotations, final: firstText(message!.content), status: run.status };
    },
  };
}

type SearchResult = Record<string, unknown>;
interface StepsPage {
  data: Array<{
    step_details: { tool_calls?: Array<{ file_search?: { results?: SearchResult[] } }> };
  }>;
}
const resultsIn = (page: StepsPage) =>
  page.data.flatMap((step) =>
    (step.step_details.tool_calls ?? []).flatMap((call) => call.file_search?.results ?? []),
  );

const v7 = (): SdkFlows => {
  const client = new OpenAI({ apiKey: 'sk-v7', baseURL: `${server.url}/v1`, maxRetries: 0 });
  return flowsOver(client as unknown as CommonClient, toFile, async (threadId, runId) =>
    resultsIn(
      (await client.beta.threads.runs.steps.list(runId, {
        thread_id: threadId,
        include: [CONTENT],
      })) as unknown as StepsPage,
    ),
  );
};

const v4 = (): SdkFlows => {
  const client = new OpenAIv4({
    apiKey: 'sk-v4',
    baseURL: `${server.url}/v1`,
    maxRetries: 0,
  }) as unknown as V4;
  return flowsOver(client, toFileV4, async (threadId, runId) =>
    resultsIn(await client.beta.threads.runs.steps.list(threadId, runId, { include: [CONTENT] })),
  );
};

interface SdkStream {
  on(event: string, listener: (value: never) => void): void;
  finalRun(): Promise<{ status: string }>;
  finalMessages(): Promise<Array<{ content: Array<{ type: string }> }>>;
}
/** The slice of either SDK the flows use, typed loosely (v4 is another copy of the SDK). */
interface CommonClient {
  files: { create(body: { file: unknown; purpose: string }): Promise<{ id: string }> };
  vectorStores: {
    create(body: object): Promise<{ id: string }>;
    fileBatches: { createAndPoll(storeId: string, body: object, options: object): Promise<object> };
  };
  beta: {
    assistants: { create(body: object): Promise<{ id: string }> };
    threads: {
      create(body: object): Promise<{ id: string }>;
      messages: {
        list(threadId: string, query: object): Promise<{ data: Array<{ content: Array<{ type: string }> }> }>;
      };
      runs: {
        createAndPoll(
          threadId: string,
          body: object,
          options: object,
        ): Promise<{ id: string; status: string }>;
        stream(threadId: string, body: object): SdkStream;
      };
    };
  };
}
interface V4 extends CommonClient {
  beta: CommonClient['beta'] & {
    threads: CommonClient['beta']['threads'] & {
      runs: CommonClient['beta']['threads']['runs'] & {
        steps: { list(threadId: string, runId: string, query: object): Promise<StepsPage> };
      };
    };
  };
}

describe.each([
  ['openai v7', v7],
  ['openai v4', v4],
])('%s: an assistant that searches its files', (_name, flows) => {
  it('a polled run: the file_search step finds the right file among three, and the reply cites it', async () => {
    const sdk = flows();
    const store = await sdk.createStore();
    const assistantId = await sdk.createAssistant(store.id);
    const threadId = await sdk.createThread('Who audits the vault, and how often?');
    const run = await sdk.runAndPoll(threadId, assistantId);
    expect(run.status).toBe('completed');

    const results = await sdk.searchResults(threadId, run.id);
    expect(results[0]).toMatchObject({
      file_id: store.fileIds['security.md'],
      file_name: 'security.md',
      content: [{ type: 'text', text: expect.stringContaining('Kestrel Labs') }],
    });
    const answer = await sdk.answer(threadId, run.id);
    expect(answer.value).toContain('Kestrel Labs');
    expect(answer.annotations[0]).toMatchObject({
      type: 'file_citation',
      text: '【0:0†security.md】',
      file_citation: { file_id: store.fileIds['security.md'] },
    });
    for (const annotation of answer.annotations)
      expect(answer.value.slice(annotation.start_index, annotation.end_index)).toBe(annotation.text);
  });

  it('a streamed run: the stream helper sees the file_search call and each citation as it arrives', async () => {
    const sdk = flows();
    const store = await sdk.createStore();
    const assistantId = await sdk.createAssistant(store.id);
    const threadId = await sdk.createThread('Express delivery to Norway: how many days?');
    const streamed = await sdk.stream(threadId, assistantId);
    expect(streamed.status).toBe('completed');
    expect(streamed.toolCallTypes).toEqual(['file_search']);
    expect(streamed.final.value).toContain('four days');
    expect(streamed.final.annotations[0]).toMatchObject({
      file_citation: { file_id: store.fileIds['shipping.md'] },
    });
    expect(streamed.deltaAnnotations.map((annotation) => annotation.file_citation?.file_id)).toEqual(
      streamed.final.annotations.map((annotation) => annotation.file_citation?.file_id),
    );
  });
});
