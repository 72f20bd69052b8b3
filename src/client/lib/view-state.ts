import type { RunStatus } from '../../shared/openai-types';
import { RUN_STATUSES } from '../../shared/openai-types';

/** A sort of the runs table, by column id (as in the URL: `sort=created.desc`). */
export interface RunsSort {
  id: string;
  desc: boolean;
}

/** The dialogs a link can open (`?dialog=inbox`): Back closes them. */
export const VIEW_DIALOGS = ['inbox', 'triage', 'insights'] as const;
export type ViewDialog = (typeof VIEW_DIALOGS)[number];

/** The app's pages: the runs (`/`, a thread's or every thread's) and the files and vector stores (`/files`). */
export type ViewPage = 'runs' | 'files';

/**
 * What the URL holds: the page; on the runs page the selected thread and run, the table's filters and sort, the open
 * dialog; on the files page the open vector store and the file asked for.
 */
export interface ViewState {
  page: ViewPage;
  thread: string | null;
  run: string | null;
  statuses: RunStatus[];
  /** Only runs created at or after this time (Unix seconds; `created_after`, as the query API's parameter). */
  createdAfter: number | null;
  search: string;
  sort: RunsSort | null;
  dialog: ViewDialog | null;
  /** The vector store whose files the files page shows (`?store=vs_…`). */
  store: string | null;
  /** The file the files page shows first (`?file=file-…`, where a citation links). */
  file: string | null;
}

export const EMPTY_VIEW: ViewState = {
  page: 'runs',
  thread: null,
  run: null,
  statuses: [],
  createdAfter: null,
  search: '',
  sort: null,
  dialog: null,
  store: null,
  file: null,
};

const FILES_PATH = '/files';

/** The view of a URL's path and query (`/files?store=vs_1`, or only the query: `?thread=t`). */
export function parseViewState(url: string): ViewState {
  const queryAt = url.indexOf('?');
  const page: ViewPage = (queryAt < 0 ? url : url.slice(0, queryAt)) === FILES_PATH ? 'files' : 'runs';
  const params = new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt));
  const statuses = (params.get('status') ?? '')
    .split(',')
    .filter((value): value is RunStatus => (RUN_STATUSES as readonly string[]).includes(value));
  const sortParam = params.get('sort');
  const sortMatch = sortParam ? /^([a-z_]+)\.(asc|desc)$/.exec(sortParam) : null;
  const dialog = params.get('dialog');
  const createdAfter = params.get('created_after') ?? '';
  return {
    page,
    // A thread and its run are the runs page's: the files page opens none.
    thread: page === 'runs' ? params.get('thread') || null : null,
    run: page === 'runs' ? params.get('run') || null : null,
    statuses: [...new Set(statuses)],
    createdAfter: /^\d{1,12}$/.test(createdAfter) ? Number(createdAfter) : null,
    search: params.get('q') ?? '',
    sort: sortMatch ? { id: sortMatch[1]!, desc: sortMatch[2] === 'desc' } : null,
    dialog: (VIEW_DIALOGS as readonly (string | null)[]).includes(dialog) ? (dialog as ViewDialog) : null,
    store: params.get('store') || null,
    file: params.get('file') || null,
  };
}

/**
 * `next`, keeping `previous`'s statuses array and sort object where they are equal: opening a run changes only the
 * URL's `run`, and the table must not see a "new" sort or filter (re-sorting and re-filtering every loaded run).
 */
export function keepEqualParts(previous: ViewState | null, next: ViewState): ViewState {
  if (!previous) return next;
  const sameStatuses =
    previous.statuses.length === next.statuses.length &&
    previous.statuses.every((status, index) => status === next.statuses[index]);
  const sameSort =
    previous.sort === next.sort ||
    (previous.sort !== null &&
      next.sort !== null &&
      previous.sort.id === next.sort.id &&
      previous.sort.desc === next.sort.desc);
  return {
    ...next,
    statuses: sameStatuses ? previous.statuses : next.statuses,
    sort: sameSort ? previous.sort : next.sort,
  };
}

/** A sort as the URL writes it: `created.desc`. */
export function sortParam(sort: RunsSort): string {
  return `${sort.id}.${sort.desc ? 'desc' : 'asc'}`;
}

export function serializeViewState(view: ViewState): string {
  const params = new URLSearchParams();
  if (view.thread) params.set('thread', view.thread);
  if (view.run) params.set('run', view.run);
  if (view.statuses.length > 0) params.set('status', view.statuses.join(','));
  if (view.createdAfter !== null) params.set('created_after', String(view.createdAfter));
  if (view.search) params.set('q', view.search);
  if (view.sort) params.set('sort', sortParam(view.sort));
  if (view.dialog) params.set('dialog', view.dialog);
  if (view.store) params.set('store', view.store);
  if (view.file) params.set('file', view.file);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The view's URL, path and query, with only its page's parts: `/files?store=vs_1` (no thread, run or runs filter),
 * `/?thread=t` (no store or file).
 */
export function viewHref(view: ViewState): string {
  return view.page === 'files'
    ? `${FILES_PATH}${serializeViewState({ ...EMPTY_VIEW, store: view.store, file: view.file, dialog: view.dialog })}`
    : `/${serializeViewState({ ...view, store: null, file: null })}`;
}
