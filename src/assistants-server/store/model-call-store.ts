import type { ModelCall } from '../../shared/runboard-types';
import type { Db } from './database';

/** The model executor's call log, one row per HTTP call; not part of the /v1 objects, so it publishes no events. */
export class ModelCallStore {
  private readonly insertStatement;
  private readonly updateStatement;
  private readonly runStatement;
  private readonly interruptStatement;
  private readonly interruptRunStatement;
  private readonly deleteInThreadStatement;
  private readonly withErrorStatement;

  constructor(db: Db) {
    this.insertStatement = db.prepare('INSERT INTO model_calls (run_id, body) VALUES (?, ?)');
    this.updateStatement = db.prepare('UPDATE model_calls SET body = ? WHERE seq = ?');
    this.runStatement = db.prepare('SELECT seq, body FROM model_calls WHERE run_id = ? ORDER BY seq');
    this.interruptStatement = db.prepare(
      `UPDATE model_calls SET body = json_set(body, '$.outcome', 'interrupted')
       WHERE json_extract(body, '$.outcome') = 'in_flight'`,
    );
    this.interruptRunStatement = db.prepare(
      `UPDATE model_calls SET body = json_set(body, '$.outcome', 'interrupted')
       WHERE run_id = ? AND json_extract(body, '$.outcome') = 'in_flight'`,
    );
    this.withErrorStatement = db.prepare(
      `SELECT seq, body FROM model_calls WHERE json_extract(body, '$.error') IS NOT NULL`,
    );
    this.deleteInThreadStatement = db.prepare(
      'DELETE FROM model_calls WHERE run_id IN (SELECT id FROM runs WHERE thread_id = ?)',
    );
  }

  /** Part of a thread's deletion: before its runs go, since the calls are found through them. */
  deleteInThread(threadId: string): void {
    this.deleteInThreadStatement.run(threadId);
  }

  /** Records a call that just started; its id is assigned here. */
  begin(call: Omit<ModelCall, 'id'>): ModelCall {
    const { lastInsertRowid } = this.insertStatement.run(call.run_id, '{}');
    const recorded: ModelCall = { id: `mcall_${lastInsertRowid}`, ...call };
    this.updateStatement.run(JSON.stringify(recorded), lastInsertRowid);
    return recorded;
  }

  end(call: ModelCall): void {
    this.updateStatement.run(JSON.stringify(call), Number(call.id.slice('mcall_'.length)));
  }

  ofRun(runId: string): ModelCall[] {
    return (this.runStatement.all(runId) as Array<{ body: string }>).map(
      (row) => JSON.parse(row.body) as ModelCall,
    );
  }

  /**
   * Applies `mask` to every stored call's error, rewriting those it changes (at start: calls stored before their
   * errors were masked, or under a key since changed). Returns how many changed.
   */
  maskErrors(mask: (error: string) => string): number {
    const changed: Array<{ seq: number; call: ModelCall }> = [];
    for (const row of this.withErrorStatement.iterate() as Iterable<{ seq: number; body: string }>) {
      const call = JSON.parse(row.body) as ModelCall;
      const masked = mask(call.error ?? '');
      if (masked !== call.error) changed.push({ seq: row.seq, call: { ...call, error: masked } });
    }
    for (const { seq, call } of changed) this.updateStatement.run(JSON.stringify(call), seq);
    return changed.length;
  }

  /** Calls recorded in flight whose server stopped: all of them, or one run's. Returns how many. */
  markInterrupted(runId?: string): number {
    return (runId === undefined ? this.interruptStatement.run() : this.interruptRunStatement.run(runId))
      .changes;
  }
}
