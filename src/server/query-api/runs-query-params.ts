import * as z from 'zod';
import { RUN_STATUSES, type RunStatus } from '../../shared/openai-types';
import { RUN_SORT_FIELDS, TIMESERIES_INTERVALS, type RunSortField } from '../../shared/runs-query-types';
import { RUN_SORTS } from '../../shared/run-sort-keys';
import { decodeRunCursor, decodeThreadCursor } from '../run-index/run-cursor';
import type { RunFilter } from '../run-index/runs-query';
import { controlCharacter, decimalInteger, excerpt } from '../../platform/request-input';

/**
 * The query parameters of Runboard's read routes (`/api/runs`, `/counts`, `/usage`, `/timeseries`, `/threads`),
 * declared once as zod schemas: each route's parameter list, what each takes, and the rules between them. A refusal
 * says why in `/api`'s words (`Invalid 'limit': expected an integer from 1 to 500 in digits, got '0'.`, see
 * `query-param-error.ts`); a parameter this route does not take, or a single one given twice, is refused too.
 */

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 100;
export const DEFAULT_SORT = { field: 'created' as RunSortField, desc: true };
/** A search is refused beyond this many distinct words (each is one more condition on every candidate run). */
export const MAX_SEARCH_WORDS = 16;
const MAX_SEARCH_LENGTH = 512;
/** Ids as OpenAI shapes them (and as the proxy forwards them): letters, digits, _ and -. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;
const NOT_A_CURSOR = 'not a cursor from this API: pass the next_cursor of the previous page.';

type Refuse = (why: string) => never;

/**
 * Adds a refusal (`why`) to a parse, at `path` below the value checked. A parameter the route does not take
 * (`name`), or a single one given again (`repeat`), is reported before any value, as the query string is read
 * before its values are.
 */
function refuser(
  ctx: { issues: z.core.$ZodRawIssue[] },
  input: unknown,
  path: PropertyKey[] = [],
  read?: 'name' | 'repeat',
) {
  return (why: string): never => {
    ctx.issues.push({ code: 'custom', input, path, params: { why, read } });
    return z.NEVER;
  };
}

/** A parameter given once, read by `read`; optional. */
function single<T>(read: (value: string, refuse: Refuse) => T) {
  return z
    .unknown()
    .transform((raw, ctx): T => {
      if (Array.isArray(raw))
        return refuser(ctx, raw, [], 'repeat')('given more than once; it takes one value.');
      return read(raw as string, refuser(ctx, raw));
    })
    .optional();
}

/** Control characters (NUL included) have no place in a search or a name; a metadata value may hold line breaks. */
function printable(value: string, refuse: Refuse, allowLineBreaks = false): string {
  const code = controlCharacter(value, allowLineBreaks);
  return code === null ? value : refuse(`contains the control character ${code}; send printable text only.`);
}

const text = (maxLength: number) =>
  single((value, refuse) => {
    if (value === '') return refuse('empty; leave the parameter out to not filter by it.');
    if (value.length > maxLength) return refuse(`longer than ${maxLength} characters.`);
    return printable(value, refuse);
  });

const id = single((value, refuse) =>
  SAFE_ID.test(value)
    ? value
    : refuse(`expected an id of letters, digits, _ and - (up to 128), got '${excerpt(value)}'.`),
);

/** Digits only: `Number()` would also take ' 5', '5.0', '0x10' and '1e2'. */
const integer = (min: number, max: number) =>
  single((raw, refuse) => {
    const value = decimalInteger(raw);
    if (value === null || value < min || value > max)
      return refuse(`expected an integer from ${min} to ${max} in digits, got '${excerpt(raw)}'.`);
    return value;
  });

/** Repeatable and comma-separated; each distinct status once. */
const statuses = z
  .unknown()
  .transform((raw, ctx): RunStatus[] => {
    const list = [raw]
      .flat()
      .flatMap((value) => String(value).split(','))
      .map((value) => value.trim());
    const unknown = list.find((status) => !(RUN_STATUSES as readonly string[]).includes(status));
    if (unknown !== undefined)
      return refuser(
        ctx,
        raw,
      )(`'${excerpt(unknown)}' is not a run status; expected ${RUN_STATUSES.join(', ')}.`);
    return [...new Set(list)] as RunStatus[];
  })
  .optional();

/**
 * `q`: words separated by white space, each needed in a match. A word given twice (in any case) counts once; more
 * than MAX_SEARCH_WORDS distinct words are refused. Answers the distinct words, as first spelled, joined by spaces.
 */
const searchText = single((value, refuse) => {
  if (value.length > MAX_SEARCH_LENGTH) return refuse(`longer than ${MAX_SEARCH_LENGTH} characters.`);
  printable(value, refuse);
  const words = new Map<string, string>();
  for (const word of value.split(/\s+/).filter(Boolean)) {
    if (!words.has(word.toLowerCase())) words.set(word.toLowerCase(), word);
  }
  if (words.size > MAX_SEARCH_WORDS) {
    return refuse(
      `${words.size} different words; a search takes at most ${MAX_SEARCH_WORDS} (every word must match).`,
    );
  }
  return words.size === 0 ? undefined : [...words.values()].join(' ');
});

const sort = single((raw, refuse) => {
  const match = /^([a-z_]+)\.(asc|desc)$/.exec(raw);
  if (!match || !(RUN_SORT_FIELDS as readonly string[]).includes(match[1]!)) {
    return refuse(
      `expected <column>.asc or <column>.desc with a column among ${RUN_SORT_FIELDS.join(', ')}, got '${excerpt(raw)}'.`,
    );
  }
  return { field: match[1] as RunSortField, desc: match[2] === 'desc' };
});

const metadataValue = single((value, refuse) => {
  if (value.length > 512) return refuse('longer than 512 characters.');
  return printable(value, refuse, true);
});

/** The parameters in `shape` and no other: any other is refused naming the ones this route takes. */
function routeParams<S extends z.core.$ZodLooseShape>(shape: S) {
  const known = Object.keys(shape).join(', ');
  return z
    .object(shape)
    .catchall(
      z
        .unknown()
        .transform((raw, ctx) =>
          refuser(ctx, raw, [], 'name')(`unknown parameter; this route takes ${known}.`),
        ),
    );
}

const filterShape = {
  thread_id: id,
  status: statuses,
  assistant_id: id,
  model: text(256),
  created_after: integer(0, 2 ** 40),
  created_before: integer(0, 2 ** 40),
  metadata_key: text(64),
  metadata_value: metadataValue,
  q: searchText,
};
type FilterParams = z.output<z.ZodObject<typeof filterShape>>;

/** The rules between the filter's parameters. */
function checkFilter(ctx: z.core.ParsePayload<FilterParams>): void {
  const { created_after: after, created_before: before, metadata_key, metadata_value } = ctx.value;
  if (after !== undefined && before !== undefined && after > before)
    refuser(ctx, after, ['created_after'])(`${after} is later than created_before ${before}.`);
  if (metadata_value !== undefined && metadata_key === undefined)
    refuser(ctx, metadata_value, ['metadata_value'])(
      'needs metadata_key: the value is matched under that key.',
    );
}

function filterOf(params: FilterParams): RunFilter {
  return {
    threadId: params.thread_id,
    statuses: params.status,
    assistantId: params.assistant_id,
    model: params.model,
    createdAfter: params.created_after,
    createdBefore: params.created_before,
    metadataKey: params.metadata_key,
    metadataValue: params.metadata_value,
    q: params.q,
  };
}

const runsParams = routeParams({
  ...filterShape,
  sort: sort.transform((value) => value ?? DEFAULT_SORT),
  limit: integer(1, MAX_PAGE_SIZE).transform((value) => value ?? DEFAULT_PAGE_SIZE),
  after: single((value) => value),
}).check(checkFilter);

/** GET /api/runs (and /counts and /usage, which take the page parameters and ignore them). */
export const runsQuery = runsParams
  .check((ctx) => {
    const { after: text, sort } = ctx.value;
    if (text === undefined) return;
    const refuse = refuser(ctx, text, ['after']);
    const after = decodeRunCursor(text);
    if (!after) return refuse(NOT_A_CURSOR);
    if (after.field !== sort.field || after.desc !== sort.desc) {
      const order = (s: { field: string; desc: boolean }) => `${s.field}.${s.desc ? 'desc' : 'asc'}`;
      return refuse(
        `this cursor continues the sort ${order(after)}, not ${order(sort)}: start again without 'after' when the sort changes.`,
      );
    }
    if (typeof after.value !== (RUN_SORTS[sort.field].numeric ? 'number' : 'string')) refuse(NOT_A_CURSOR);
  })
  .transform((params) => ({
    filter: filterOf(params),
    sort: params.sort,
    limit: params.limit,
    after: params.after === undefined ? null : decodeRunCursor(params.after),
  }));

/** GET /api/runs/counts and /usage: the filter of /api/runs (the page parameters are accepted and ignored). */
export const countsQuery = routeParams({
  ...filterShape,
  sort: single((value) => value),
  limit: single((value) => value),
  after: single((value) => value),
})
  .check(checkFilter)
  .transform(filterOf);

/** GET /api/runs/timeseries: the filter of /api/runs (no page parameters), then the range and the interval. */
export const timeseriesQuery = routeParams({
  ...filterShape,
  start: integer(0, 2 ** 40),
  end: integer(0, 2 ** 40),
  interval: integer(1, 2 ** 31),
})
  .check(checkFilter)
  .check((ctx) => {
    const { start, end, interval } = ctx.value;
    if (start !== undefined && end !== undefined && start > end)
      refuser(ctx, start, ['start'])(`${start} is later than end ${end}.`);
    if (interval !== undefined && !(TIMESERIES_INTERVALS as readonly number[]).includes(interval)) {
      refuser(ctx, interval, ['interval'])(
        `expected one of ${TIMESERIES_INTERVALS.join(', ')} seconds (or none: chosen to fit the range), got ${interval}.`,
      );
    }
  })
  .transform(({ start, end, interval, ...filter }) => ({
    filter: filterOf(filter),
    range: { start, end, interval },
  }));

const threadsParams = routeParams({
  q: searchText,
  limit: integer(1, MAX_PAGE_SIZE).transform((value) => value ?? DEFAULT_PAGE_SIZE),
  after: single((value, refuse) => decodeThreadCursor(value) ?? refuse(NOT_A_CURSOR)),
});

/** GET /api/threads */
export const threadsQuery = threadsParams.transform(({ q, limit, after }) => ({
  q,
  limit,
  after: after ?? null,
}));

/** Every parameter of /api/runs (and of /api/runs/counts and /usage, which ignore the page ones). */
export const RUNS_QUERY_PARAMS: readonly string[] = Object.keys(runsParams.shape);
export const THREADS_QUERY_PARAMS: readonly string[] = Object.keys(threadsParams.shape);
