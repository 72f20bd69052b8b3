import type { RunStep } from '../../../../shared/openai-types';
import type { StepTable } from '../../assistants-store';
import type { PageRequest, PageResult } from '../../cursor-page';
import { pageOf } from './pg-cursor-page';
import { jsonText, type PgSession } from './pg-session';

export class PgStepTable implements StepTable {
  constructor(private readonly session: PgSession) {}

  async insert(step: RunStep): Promise<void> {
    await this.session.db.query(
      'INSERT INTO run_steps (id, run_id, created_at, body) VALUES ($1, $2, $3, $4::jsonb)',
      [step.id, step.run_id, step.created_at, jsonText(step)],
    );
    await this.session.written({ object: 'step', change: 'created', step: structuredClone(step) });
  }

  async update(step: RunStep): Promise<void> {
    await this.session.db.query('UPDATE run_steps SET body = $1::jsonb WHERE id = $2', [
      jsonText(step),
      step.id,
    ]);
    await this.session.written({ object: 'step', change: 'updated', step: structuredClone(step) });
  }

  async deleteInThread(threadId: string): Promise<void> {
    await this.session.db.query(
      'DELETE FROM run_steps WHERE run_id IN (SELECT id FROM runs WHERE thread_id = $1)',
      [threadId],
    );
  }

  async get(runId: string, id: string): Promise<RunStep | null> {
    const { rows } = await this.session.db.query<{ body: string }>(
      'SELECT body::text AS body FROM run_steps WHERE id = $1 AND run_id = $2',
      [id, runId],
    );
    return rows[0] ? (JSON.parse(rows[0].body) as RunStep) : null;
  }

  async ofRun(runId: string): Promise<RunStep[]> {
    const { rows } = await this.session.db.query<{ body: string }>(
      'SELECT body::text AS body FROM run_steps WHERE run_id = $1 ORDER BY created_at, seq',
      [runId],
    );
    return rows.map((row) => JSON.parse(row.body) as RunStep);
  }

  page(runId: string, request: PageRequest): Promise<PageResult> {
    return pageOf(this.session.db, 'run_steps', { run_id: runId }, request);
  }
}
