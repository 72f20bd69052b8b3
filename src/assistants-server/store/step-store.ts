import type { RunStep } from '../../shared/openai-types';
import { CursorPager, type PageRequest, type PageResult } from './cursor-page';
import type { Db } from './database';
import type { LifecycleEvents } from '../events/lifecycle-events';

export class StepStore {
  private readonly pager: CursorPager;
  private readonly insertStatement;
  private readonly updateStatement;
  private readonly getStatement;
  private readonly deleteInThreadStatement;
  private readonly runStatement;

  constructor(
    db: Db,
    private readonly events: LifecycleEvents,
  ) {
    this.pager = new CursorPager(db, 'run_steps');
    this.insertStatement = db.prepare(
      'INSERT INTO run_steps (id, run_id, created_at, body) VALUES (?, ?, ?, ?)',
    );
    this.updateStatement = db.prepare('UPDATE run_steps SET body = ? WHERE id = ?');
    this.getStatement = db.prepare('SELECT body FROM run_steps WHERE id = ? AND run_id = ?');
    this.deleteInThreadStatement = db.prepare(
      'DELETE FROM run_steps WHERE run_id IN (SELECT id FROM runs WHERE thread_id = ?)',
    );
    this.runStatement = db.prepare('SELECT body FROM run_steps WHERE run_id = ? ORDER BY created_at, seq');
  }

  insert(step: RunStep): void {
    this.insertStatement.run(step.id, step.run_id, step.created_at, JSON.stringify(step));
    this.events.publish({ object: 'step', change: 'created', step: structuredClone(step) });
  }

  update(step: RunStep): void {
    this.updateStatement.run(JSON.stringify(step), step.id);
    this.events.publish({ object: 'step', change: 'updated', step: structuredClone(step) });
  }

  /** Part of a thread's deletion, before its runs go; the thread's one `deleted` event stands for the steps too. */
  deleteInThread(threadId: string): void {
    this.deleteInThreadStatement.run(threadId);
  }

  get(runId: string, id: string): RunStep | null {
    const row = this.getStatement.get(id, runId) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as RunStep) : null;
  }

  ofRun(runId: string): RunStep[] {
    return (this.runStatement.all(runId) as Array<{ body: string }>).map(
      (row) => JSON.parse(row.body) as RunStep,
    );
  }

  page(runId: string, request: PageRequest): PageResult {
    return this.pager.page({ run_id: runId }, request);
  }
}
