import type { FileSearchToolCallDetails, Message, RunStep } from '../../../shared/openai-types';
import type { ChunkHit } from '../../file-search/chunk-index';
import type { FileSearch } from '../../file-search/file-search';
import { MAX_QUERY_CHARS } from '../../file-search/file-search';
import { newId } from '../../ids';
import { quote } from '../../lifecycle/replies';
import { newStep, usageOf } from '../../lifecycle/wire-objects';
import { citationMarker } from '../../run-search/citations';
import { fileSearchCall, searchHits } from '../../run-search/run-file-search';
import { openRunStores, peekRunStores } from '../../run-search/run-vector-stores';
import { filesInProgress, MAX_READINESS_WAIT_MS } from '../../run-search/store-readiness';
import { searchSettingsOf, type SearchSettings } from '../../run-search/search-settings';
import type { StoreTables, StoreTransaction } from '../../store/assistants-store';
import type { RunRecord } from '../../store/run-record';
import { failureCode, incompleteReason } from './scenarios';

/** The results a scripted reply quotes, and how much of each. */
const QUOTED_RESULTS = 3;
const QUOTE_CHARS = 200;

/**
 * What a scripted run's finish searched before its transaction (`searchBeforeFinish`): the question, the stores
 * searched, and the engine's hits, whatever their file's status (the transaction keeps those still completed).
 */
export interface SearchedBefore {
  query: string;
  storeIds: string[];
  hits: ChunkHit[];
}

/** What `scriptedSearch` decides in the finish's transaction. */
export type ScriptedSearch =
  | FileSearchToolCallDetails
  /** The stores' files are still processed: the finish is due again later. */
  | 'not_ready'
  /** What was searched before no longer answers the run (a store attached meanwhile): search again first. */
  | 'search_again'
  /** One of its stores has expired: the run fails with this message. */
  | { failed: string }
  | null;

/**
 * The slow half of the scripted run's file_search, before the transaction of its finish (no lock held, nothing
 * written): with `file_search` among its tools and vector stores on its thread or assistant, its first pass (no
 * scenario failure) searches them for the thread's last user message, by words (no network call: the scheduler
 * applies due transitions one after another). Null when there is nothing to search yet (no store, one expired,
 * files still processed): the transaction decides what that means.
 */
export async function searchBeforeFinish(
  fileSearch: FileSearch | null,
  record: RunRecord,
  tables: StoreTables,
  seconds: number,
): Promise<SearchedBefore | null> {
  // Most runs do not search: their thread is not read here.
  if (!fileSearch || !searchSettingsFor(fileSearch, record)) return null;
  const planned = plannedSearch(fileSearch, record, await tables.messages.inThread(record.run.thread_id));
  if (!planned) return null;
  const stores = await peekRunStores(tables, record.run, seconds);
  if (!stores.ok || stores.storeIds.length === 0) return null;
  if (await stillProcessed(tables, stores.storeIds, record.run, seconds)) return null;
  const { query, settings } = planned;
  const hits = await searchHits(fileSearch, stores.storeIds, [query], settings, { byWordsOnly: true });
  return { query, storeIds: stores.storeIds, hits };
}

/**
 * The scripted run's file_search in the transaction of its finish: the stores are opened (made active; an expired
 * one fails the run, `openRunStores`), then what was searched before is checked to still answer the run: the same
 * question, and no store it did not search (a store deleted or detached meanwhile is fine: its hits are left out).
 * The call keeps the hits of files still `completed` in their store now. Returns the completed call, null when
 * nothing is searched, `not_ready` while the stores' files are still processed (for a minute at most after the run
 * started), `search_again`, or why the run fails.
 */
export async function scriptedSearch(
  fileSearch: FileSearch | null,
  record: RunRecord,
  conversation: Message[],
  tx: StoreTransaction,
  seconds: number,
  before: SearchedBefore | null,
): Promise<ScriptedSearch> {
  const { run } = record;
  const planned = plannedSearch(fileSearch, record, conversation);
  if (!planned) return null;
  const stores = await openRunStores(tx, run, seconds);
  if (!stores.ok) return { failed: stores.message };
  const { storeIds } = stores;
  if (storeIds.length === 0) return null;
  if (await stillProcessed(tx, storeIds, run, seconds)) return 'not_ready';
  const unsearched = storeIds.some((id) => !before?.storeIds.includes(id));
  if (!before || before.query !== planned.query || unsearched) return 'search_again';
  const hits = before.hits.filter((hit) => storeIds.includes(hit.vectorStoreId));
  const call = await fileSearchCall(tx, hits, [planned.query], planned.settings);
  return { id: newId('call'), ...call };
}

/** Whether the run searches, and what: its settings and the last user message (null: it does not search). */
function plannedSearch(
  fileSearch: FileSearch | null,
  record: RunRecord,
  conversation: Message[],
): { query: string; settings: SearchSettings } | null {
  const settings = searchSettingsFor(fileSearch, record);
  const query = lastUserText(conversation).trim().slice(0, MAX_QUERY_CHARS);
  return settings && query ? { query, settings } : null;
}

/** The tool's settings when this pass of the run searches: `file_search` among its tools, its first pass, no failure. */
function searchSettingsFor(
  fileSearch: FileSearch | null,
  { run, internal }: RunRecord,
): SearchSettings | null {
  const settings = searchSettingsOf(run);
  if (!fileSearch || !settings || internal.toolOutputs !== null) return null;
  if (failureCode(internal.scenario) || incompleteReason(internal.scenario)) return null;
  return settings;
}

/** Files attached just before the run may still be processed: it waits for them, a minute at most after it started. */
async function stillProcessed(
  tables: Pick<StoreTables, 'vectorStoreFiles'>,
  storeIds: readonly string[],
  run: RunRecord['run'],
  seconds: number,
): Promise<boolean> {
  const waited = (seconds - (run.started_at ?? seconds)) * 1000;
  return waited < MAX_READINESS_WAIT_MS && (await filesInProgress(tables, storeIds)) > 0;
}

/** The completed tool_calls step of the search; no model asked for it, so it used no tokens. */
export function scriptedSearchStep(
  record: RunRecord,
  call: FileSearchToolCallDetails,
  seconds: number,
): RunStep {
  const { run } = record;
  const step = newStep(
    { threadId: run.thread_id, runId: run.id, assistantId: run.assistant_id, createdAt: seconds },
    { type: 'tool_calls', tool_calls: [call] },
  );
  step.status = 'completed';
  step.completed_at = seconds;
  step.usage = usageOf(0, 0);
  return step;
}

/** The scripted answer from the top results, each quoted and cited with its marker (annotated on the message). */
export function searchReply(call: FileSearchToolCallDetails): string {
  const query = (call.file_search.queries ?? [])[0] ?? '';
  const results = (call.file_search.results ?? []).slice(0, QUOTED_RESULTS);
  const asked = `"${quote(query, 120)}"`;
  if (results.length === 0) return `I searched your files for ${asked} and found nothing that matches.`;
  const lines = results.map((result, index) => {
    const text = (result.content ?? []).map((part) => part.text).join(' ');
    return `- ${result.file_name}: "${quote(text, QUOTE_CHARS)}" ${citationMarker(0, index, result.file_name)}`;
  });
  return `I searched your files for ${asked}. The best ${results.length === 1 ? 'match' : `${results.length} matches`}:\n${lines.join('\n')}`;
}

function lastUserText(messages: Message[]): string {
  const last = [...messages].reverse().find((message) => message.role === 'user');
  return last ? last.content.map((part) => part.text.value).join('\n') : '';
}
