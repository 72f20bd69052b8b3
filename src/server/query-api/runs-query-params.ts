import { RUN_STATUSES, type RunStatus } from '../../shared/openai-types';
import {
  RUN_SORT_FIELDS,
  TIMESERIES_INTERVALS,
  type RunSortField,
  type RunsTimeseriesQuery,
} from '../../shared/runs-query-types';
import { RUN_SORTS } from '../../shared/run-sort-keys';
import { decodeRunCursor, decodeThreadCursor, type RunCursor } from '../run-index/run-cursor';
import type { RunFilter } from '../run-index/runs-query';
import { queryParamError } from './query-param-error';
import { controlCharacter, decimalInteger, excerpt } from '../../platform/request-input';

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 100;
export const DEFAULT_SORT = { field: 'created' as RunSortField, desc: true };
/** A search is refused beyond this many distinct words (each is one more condition on every candidate run). */
export const MAX_SEARCH_WORDS = 16;
const MAX_SEARCH_LENGTH = 512;

const FILTER_PARAMS = [
  'thread_id',
  'status',
  'assistant_id',
  'model',
  'created_after',
  'created_before',
  'metadata_key',
  'metadata_value',
  'q',
];
const PAGE_PARAMS = ['sort', 'limit', 'after'];
/** Every parameter of /api/runs (and of /api/runs/counts and /usage, which ignore the page ones). */
export const RUNS_QUERY_PARAMS: readonly string[] = [...FILTER_PARAMS, ...PAGE_PARAMS];
export const THREADS_QUERY_PARAMS: readonly string[] = ['q', 'limit', 'after'];
/** Ids as OpenAI shapes them (and as the proxy forwards them): letters, digits, _ and -. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

export interface ParsedRunsQuery {
  filter: RunFilter;
  sort: { field: RunSortField; desc: boolean };
  limit: number;
  after: RunCursor | null;
}

/** Reads a URL's query into its parameters, refusing any this API does not know and repeats of single ones. */
function readParams(url: string, known: readonly string[], repeatable: string[] = []): Map<string, string[]> {
  const params = new Map<string, string[]>();
  for (const [name, value] of new URL(url).searchParams) {
    if (!known.includes(name)) {
      throw queryParamError(name, `unknown parameter; this route takes ${known.join(', ')}.`);
    }
    const values = params.get(name) ?? [];
    values.push(value);
    if (values.length > 1 && !repeatable.includes(name)) {
      throw queryParamError(name, 'given more than once; it takes one value.');
    }
    params.set(name, values);
  }
  return params;
}

function text(params: Map<string, string[]>, name: string, maxLength: number): string | undefined {
  const value = params.get(name)?.[0];
  if (value === undefined) return undefined;
  if (value === '') throw queryParamError(name, 'empty; leave the parameter out to not filter by it.');
  if (value.length > maxLength) throw queryParamError(name, `longer than ${maxLength} characters.`);
  refuseControlCharacters(name, value);
  return value;
}

/** Control characters (NUL included) have no place in a search or a name; a metadata value may hold line breaks. */
function refuseControlCharacters(name: string, value: string, allowLineBreaks = false): void {
  const code = controlCharacter(value, allowLineBreaks);
  if (code !== null) {
    throw queryParamError(name, `contains the control character ${code}; send printable text only.`);
  }
}

function id(params: Map<string, string[]>, name: string): string | undefined {
  const value = params.get(name)?.[0];
  if (value === undefined) return undefined;
  if (!SAFE_ID.test(value)) {
    throw queryParamError(
      name,
      `expected an id of letters, digits, _ and - (up to 128), got '${excerpt(value)}'.`,
    );
  }
  return value;
}

function integer(params: Map<string, string[]>, name: string, min: number, max: number): number | undefined {
  const raw = params.get(name)?.[0];
  if (raw === undefined) return undefined;
  // Digits only: `Number()` would also take ' 5', '5.0', '0x10' and '1e2'.
  const value = decimalInteger(raw);
  if (value === null || value < min || value > max) {
    throw queryParamError(
      name,
      `expected an integer from ${min} to ${max} in digits, got '${excerpt(raw)}'.`,
    );
  }
  return value;
}

function statuses(params: Map<string, string[]>): RunStatus[] | undefined {
  const values = params.get('status');
  if (!values) return undefined;
  const list = values.flatMap((value) => value.split(',')).map((value) => value.trim());
  for (const status of list) {
    if (!(RUN_STATUSES as readonly string[]).includes(status)) {
      throw queryParamError(
        'status',
        `'${excerpt(status)}' is not a run status; expected ${RUN_STATUSES.join(', ')}.`,
      );
    }
  }
  return [...new Set(list)] as RunStatus[];
}

function filterOf(params: Map<string, string[]>): RunFilter {
  const createdAfter = integer(params, 'created_after', 0, 2 ** 40);
  const createdBefore = integer(params, 'created_before', 0, 2 ** 40);
  if (createdAfter !== undefined && createdBefore !== undefined && createdAfter > createdBefore) {
    throw queryParamError('created_after', `${createdAfter} is later than created_before ${createdBefore}.`);
  }
  const metadataKey = text(params, 'metadata_key', 64);
  const metadataValue = params.get('metadata_value')?.[0];
  if (metadataValue !== undefined && metadataKey === undefined) {
    throw queryParamError('metadata_value', 'needs metadata_key: the value is matched under that key.');
  }
  if (metadataValue !== undefined && metadataValue.length > 512) {
    throw queryParamError('metadata_value', 'longer than 512 characters.');
  }
  if (metadataValue !== undefined) refuseControlCharacters('metadata_value', metadataValue, true);
  return {
    threadId: id(params, 'thread_id'),
    statuses: statuses(params),
    assistantId: id(params, 'assistant_id'),
    model: text(params, 'model', 256),
    createdAfter,
    createdBefore,
    metadataKey,
    metadataValue,
    q: params.has('q') ? queryText(params) : undefined,
  };
}

/**
 * `q`: words separated by white space, each needed in a match. A word given twice (in any case) counts once; more
 * than MAX_SEARCH_WORDS distinct words are refused. Answers the distinct words, as first spelled, joined by spaces.
 */
function queryText(params: Map<string, string[]>): string | undefined {
  const value = params.get('q')![0]!;
  if (value.length > MAX_SEARCH_LENGTH)
    throw queryParamError('q', `longer than ${MAX_SEARCH_LENGTH} characters.`);
  refuseControlCharacters('q', value);
  const words = new Map<string, string>();
  for (const word of value.split(/\s+/).filter(Boolean)) {
    if (!words.has(word.toLowerCase())) words.set(word.toLowerCase(), word);
  }
  if (words.size > MAX_SEARCH_WORDS) {
    throw queryParamError(
      'q',
      `${words.size} different words; a search takes at most ${MAX_SEARCH_WORDS} (every word must match).`,
    );
  }
  return words.size === 0 ? undefined : [...words.values()].join(' ');
}

function sortOf(params: Map<string, string[]>): { field: RunSortField; desc: boolean } {
  const raw = params.get('sort')?.[0];
  if (raw === undefined) return DEFAULT_SORT;
  const match = /^([a-z_]+)\.(asc|desc)$/.exec(raw);
  if (!match || !(RUN_SORT_FIELDS as readonly string[]).includes(match[1]!)) {
    throw queryParamError(
      'sort',
      `expected <column>.asc or <column>.desc with a column among ${RUN_SORT_FIELDS.join(', ')}, got '${excerpt(raw)}'.`,
    );
  }
  return { field: match[1] as RunSortField, desc: match[2] === 'desc' };
}

/** GET /api/runs */
export function parseRunsQuery(url: string): ParsedRunsQuery {
  const params = readParams(url, RUNS_QUERY_PARAMS, ['status']);
  const filter = filterOf(params);
  const sort = sortOf(params);
  const limit = integer(params, 'limit', 1, MAX_PAGE_SIZE) ?? DEFAULT_PAGE_SIZE;
  const afterText = params.get('after')?.[0];
  let after: RunCursor | null = null;
  if (afterText !== undefined) {
    after = decodeRunCursor(afterText);
    if (!after)
      throw queryParamError(
        'after',
        'not a cursor from this API: pass the next_cursor of the previous page.',
      );
    if (after.field !== sort.field || after.desc !== sort.desc) {
      throw queryParamError(
        'after',
        `this cursor continues the sort ${after.field}.${after.desc ? 'desc' : 'asc'}, not ${sort.field}.${sort.desc ? 'desc' : 'asc'}: start again without 'after' when the sort changes.`,
      );
    }
    if (typeof after.value !== (RUN_SORTS[sort.field].numeric ? 'number' : 'string')) {
      throw queryParamError(
        'after',
        'not a cursor from this API: pass the next_cursor of the previous page.',
      );
    }
  }
  return { filter, sort, limit, after };
}

/** GET /api/runs/counts: the same parameters as /api/runs (the page ones are accepted and ignored). */
export function parseCountsQuery(url: string): RunFilter {
  const params = readParams(url, RUNS_QUERY_PARAMS, ['status']);
  return filterOf(params);
}

/** GET /api/threads */
export function parseThreadsQuery(url: string): {
  q?: string;
  limit: number;
  after: { lastActivityAt: number; id: string } | null;
} {
  const params = readParams(url, THREADS_QUERY_PARAMS);
  const limit = integer(params, 'limit', 1, MAX_PAGE_SIZE) ?? DEFAULT_PAGE_SIZE;
  const afterText = params.get('after')?.[0];
  const after = afterText === undefined ? null : decodeThreadCursor(afterText);
  if (afterText !== undefined && !after) {
    throw queryParamError('after', 'not a cursor from this API: pass the next_cursor of the previous page.');
  }
  return { q: params.has('q') ? queryText(params) : undefined, limit, after };
}

/** GET /api/runs/timeseries: the filter of /api/runs (no page parameters), then the range and the interval. */
export function parseTimeseriesQuery(url: string): { filter: RunFilter; range: RunsTimeseriesQuery } {
  const params = readParams(url, [...FILTER_PARAMS, 'start', 'end', 'interval'], ['status']);
  const filter = filterOf(params);
  const start = integer(params, 'start', 0, 2 ** 40);
  const end = integer(params, 'end', 0, 2 ** 40);
  if (start !== undefined && end !== undefined && start > end) {
    throw queryParamError('start', `${start} is later than end ${end}.`);
  }
  const interval = integer(params, 'interval', 1, 2 ** 31);
  if (interval !== undefined && !(TIMESERIES_INTERVALS as readonly number[]).includes(interval)) {
    throw queryParamError(
      'interval',
      `expected one of ${TIMESERIES_INTERVALS.join(', ')} seconds (or none: chosen to fit the range), got ${interval}.`,
    );
  }
  return { filter, range: { start, end, interval } };
}
