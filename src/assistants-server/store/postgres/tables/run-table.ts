import type { Run, RunStatus } from '../../../../shared/openai-types';
import type { DueRun, RunTable, SetAsideIds } from '../../assistants-store';
import type { PageRequest, PageResult } from '../../cursor-page';
import type { RunRecord } from '../../run-record';
import { ACTIVE_IN, toDueRun, toRecord, type DueRow, type RunRow } from '../../run-store';
import type { QueryTableWrites } from '../query-tables/query-table-writes';
import { pageOf } from './pg-cursor-page';
import { jsonText, type PgSession } from './pg-session';

const RECORD_COLUMNS = 'body::text AS body, internal::text AS internal, next_transition, due_at';
const DUE_COLUMNS = `id, thread_id, ${RECORD_COLUMNS}`;
const NONE: SetAsideIds = new Set();
/** Rows of the bulk seed per INSERT: a few hundred kilobytes of parameters, one round trip each. */
const BULK_ROWS = 500;

/** The columns of a run's row, as parameters: status, body, internal, next transition, due time. */
function columnsOf({ run, internal, schedule }: RunRecord) {
  return [
    run.status,
    jsonText(run),
    jsonText(internal),
    schedule?.transition ?? null,
    schedule ? Math.round(schedule.dueAt) : null,
  ] as const;
}

export class PgRunTable implements RunTable {
  constructor(
    private readonly session: PgSession,
    private readonly query: QueryTableWrites,
  ) {}

  async insert(record: RunRecord): Promise<void> {
    await this.session.db.query(
      `INSERT INTO runs (id, thread_id, created_at, status, body, internal, next_transition, due_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8)`,
      [record.run.id, record.run.thread_id, record.run.created_at, ...columnsOf(record)],
    );
    await this.session.written({ object: 'run', change: 'created', run: structuredClone(record.run) });
  }

  /** With `expectedStatus`: `UPDATE … WHERE status = expected`; no row updated means another writer moved it on. */
  async update(record: RunRecord, condition?: { expectedStatus: RunStatus }): Promise<boolean> {
    const params: unknown[] = [record.run.id, ...columnsOf(record)];
    let where = 'id = $1';
    if (condition) {
      params.push(condition.expectedStatus);
      where += ` AND status = $${params.length}`;
    }
    const result = await this.session.db.query(
      `UPDATE runs SET status = $2, body = $3::jsonb, internal = $4::jsonb, next_transition = $5, due_at = $6
       WHERE ${where}`,
      params,
    );
    if (condition && result.rowCount === 0) return false;
    await this.session.written({ object: 'run', change: 'updated', run: structuredClone(record.run) });
    return true;
  }

  async deleteInThread(threadId: string): Promise<void> {
    await this.session.db.query('DELETE FROM runs WHERE thread_id = $1', [threadId]);
  }

  get(id: string): Promise<RunRecord | null> {
    return this.record(`SELECT ${RECORD_COLUMNS} FROM runs WHERE id = $1`, [id]);
  }

  /** `FOR UPDATE`: another transaction's `getForUpdate` (or write) of the run waits until this one ends. */
  getForUpdate(id: string): Promise<RunRecord | null> {
    return this.record(`SELECT ${RECORD_COLUMNS} FROM runs WHERE id = $1 FOR UPDATE`, [id]);
  }

  async activeRunId(threadId: string): Promise<string | null> {
    const { rows } = await this.session.db.query<{ id: string }>(
      `SELECT id FROM runs WHERE thread_id = $1 AND status IN ${ACTIVE_IN} LIMIT 1`,
      [threadId],
    );
    return rows[0]?.id ?? null;
  }

  async activeRun(threadId: string): Promise<Run | null> {
    const { rows } = await this.session.db.query<{ body: string }>(
      `SELECT body::text AS body FROM runs WHERE thread_id = $1 AND status IN ${ACTIVE_IN} LIMIT 1`,
      [threadId],
    );
    return rows[0] ? (JSON.parse(rows[0].body) as Run) : null;
  }

  async nextDueAt(setAside: SetAsideIds = NONE): Promise<number | null> {
    const { rows } = await this.session.db.query<{ due: number | null }>(
      'SELECT MIN(due_at) AS due FROM runs WHERE due_at IS NOT NULL AND id <> ALL($1::text[])',
      [[...setAside]],
    );
    return rows[0]?.due ?? null;
  }

  async firstDue(upTo: number, setAside: SetAsideIds = NONE): Promise<DueRun | null> {
    const { rows } = await this.session.db.query<DueRow>(
      `SELECT ${DUE_COLUMNS} FROM runs
       WHERE due_at IS NOT NULL AND due_at <= $1 AND id <> ALL($2::text[]) ORDER BY due_at, seq LIMIT 1`,
      [Math.floor(upTo), [...setAside]],
    );
    return toDueRun(rows[0]);
  }

  async firstDueInThread(
    threadId: string,
    upTo: number,
    setAside: SetAsideIds = NONE,
  ): Promise<DueRun | null> {
    const { rows } = await this.session.db.query<DueRow>(
      `SELECT ${DUE_COLUMNS} FROM runs
       WHERE thread_id = $1 AND due_at IS NOT NULL AND due_at <= $2 AND id <> ALL($3::text[])
       ORDER BY due_at, seq LIMIT 1`,
      [threadId, Math.floor(upTo), [...setAside]],
    );
    return toDueRun(rows[0]);
  }

  async setAside(id: string): Promise<void> {
    await this.session.db.query('UPDATE runs SET next_transition = NULL, due_at = NULL WHERE id = $1', [id]);
  }

  async inProgress(): Promise<RunRecord[]> {
    const { rows } = await this.session.db.query<RunRow>(
      `SELECT ${RECORD_COLUMNS} FROM runs WHERE due_at IS NOT NULL AND status = 'in_progress' ORDER BY due_at, seq`,
    );
    return rows.map(toRecord);
  }

  page(threadId: string, request: PageRequest): Promise<PageResult> {
    return pageOf(this.session.db, 'runs', { thread_id: threadId }, request);
  }

  /**
   * Many ended runs (the admin seed): `BULK_ROWS` a statement, each batch's query rows written beside it, published
   * as one `resync`.
   */
  async insertMany(records: Iterable<RunRecord>): Promise<number> {
    let count = 0;
    const threadIds = new Set<string>();
    let batch: RunRecord[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      await this.insertBatch(batch);
      await this.query.bulkInserted(batch.map((record) => record.run));
      batch = [];
    };
    for (const record of records) {
      batch.push(record);
      threadIds.add(record.run.thread_id);
      count++;
      if (batch.length >= BULK_ROWS) await flush();
    }
    await flush();
    if (count > 0)
      await this.session.written({ object: 'resync', reason: 'bulk_insert', threadIds: [...threadIds] });
    return count;
  }

  private async insertBatch(records: RunRecord[]): Promise<void> {
    const columns: unknown[][] = [[], [], [], [], [], [], [], []];
    for (const record of records) {
      const values = [record.run.id, record.run.thread_id, record.run.created_at, ...columnsOf(record)];
      values.forEach((value, index) => columns[index]!.push(value));
    }
    await this.session.db.query(
      `INSERT INTO runs (id, thread_id, created_at, status, body, internal, next_transition, due_at)
       SELECT id, thread_id, created_at, status, body::jsonb, internal::jsonb, next_transition, due_at
       FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[])
         AS batch (id, thread_id, created_at, status, body, internal, next_transition, due_at)`,
      columns,
    );
  }

  private async record(sql: string, params: unknown[]): Promise<RunRecord | null> {
    const { rows } = await this.session.db.query<RunRow>(sql, params);
    return rows[0] ? toRecord(rows[0]) : null;
  }
}
