import type { FileSearchToolCallDetails, Message, RunStep } from '../../../shared/openai-types';
import type { FileSearch } from '../../file-search/file-search';
import { MAX_QUERY_CHARS } from '../../file-search/file-search';
import { newId } from '../../ids';
import { quote } from '../../lifecycle/replies';
import { newStep, usageOf } from '../../lifecycle/wire-objects';
import { citationMarker } from '../../run-search/citations';
import { searchFiles } from '../../run-search/run-file-search';
import { openRunStores } from '../../run-search/run-vector-stores';
import { filesInProgress, MAX_READINESS_WAIT_MS } from '../../run-search/store-readiness';
import { searchSettingsOf } from '../../run-search/search-settings';
import type { StoreTransaction } from '../../store/assistants-store';
import type { RunRecord } from '../../store/run-record';
import { failureCode, incompleteReason } from './scenarios';

/** The results a scripted reply quotes, and how much of each. */
const QUOTED_RESULTS = 3;
const QUOTE_CHARS = 200;

/**
 * The scripted run's file_search: with `file_search` among its tools and vector stores on its thread or assistant,
 * its first pass (no scenario failure) searches them for the thread's last user message, by words (no network
 * call: this runs inside the run's transaction). Returns the completed call, null when nothing is searched,
 * `not_ready` while the stores' files are still processed (for a minute at most after the run started), or why the
 * run fails (one of its stores has expired). The stores are made active (`openRunStores`).
 */
export async function scriptedSearch(
  fileSearch: FileSearch | null,
  record: RunRecord,
  conversation: Message[],
  tx: StoreTransaction,
  seconds: number,
): Promise<FileSearchToolCallDetails | 'not_ready' | { failed: string } | null> {
  const { run, internal } = record;
  const settings = searchSettingsOf(run);
  if (!fileSearch || !settings || internal.toolOutputs !== null) return null;
  if (failureCode(internal.scenario) || incompleteReason(internal.scenario)) return null;
  const query = lastUserText(conversation).trim().slice(0, MAX_QUERY_CHARS);
  if (!query) return null;
  const stores = await openRunStores(tx, run, seconds);
  if (!stores.ok) return { failed: stores.message };
  const { storeIds } = stores;
  if (storeIds.length === 0) return null;
  // Files attached just before the run may still be processed: it waits for them, a minute at most after it started.
  const waited = (seconds - (run.started_at ?? seconds)) * 1000;
  if ((await filesInProgress(tx, storeIds)) > 0 && waited < MAX_READINESS_WAIT_MS) return 'not_ready';
  const call = await searchFiles(fileSearch, tx, storeIds, [query], settings, { byWordsOnly: true });
  return { id: newId('call'), ...call };
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
