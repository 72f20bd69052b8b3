import type { ModelCall } from '../../../../shared/runboard-types';
import type { ModelCallTable } from '../../assistants-store';
import { jsonText, type PgSession } from './pg-session';

const ID_PREFIX = 'mcall_';

/** The model executor's call log (`mcall_<seq>`); publishes no events. */
export class PgModelCallTable implements ModelCallTable {
  constructor(private readonly session: PgSession) {}

  async deleteInThread(threadId: string): Promise<void> {
    await this.session.db.query(
      'DELETE FROM model_calls WHERE run_id IN (SELECT id FROM runs WHERE thread_id = $1)',
      [threadId],
    );
  }

  /** One statement: the row's seq is taken first, so the stored body carries its id from the start. */
  async begin(call: Omit<ModelCall, 'id'>): Promise<ModelCall> {
    const { rows } = await this.session.db.query<{ seq: number }>(
      `INSERT INTO model_calls (seq, run_id, body)
       SELECT next.seq, $1, jsonb_build_object('id', $2 || next.seq) || $3::jsonb
       FROM (SELECT nextval(pg_get_serial_sequence('model_calls', 'seq')) AS seq) AS next
       RETURNING seq`,
      [call.run_id, ID_PREFIX, jsonText(call)],
    );
    return { id: `${ID_PREFIX}${rows[0]!.seq}`, ...call };
  }

  async end(call: ModelCall): Promise<void> {
    await this.session.db.query('UPDATE model_calls SET body = $1::jsonb WHERE seq = $2', [
      jsonText(call),
      Number(call.id.slice(ID_PREFIX.length)),
    ]);
  }

  async ofRun(runId: string): Promise<ModelCall[]> {
    const { rows } = await this.session.db.query<{ body: string }>(
      'SELECT body::text AS body FROM model_calls WHERE run_id = $1 ORDER BY seq',
      [runId],
    );
    return rows.map((row) => JSON.parse(row.body) as ModelCall);
  }

  async maskErrors(mask: (error: string) => string): Promise<number> {
    const { rows } = await this.session.db.query<{ seq: number; body: string }>(
      "SELECT seq, body::text AS body FROM model_calls WHERE body->>'error' IS NOT NULL",
    );
    let changed = 0;
    for (const row of rows) {
      const call = JSON.parse(row.body) as ModelCall;
      const masked = mask(call.error ?? '');
      if (masked === call.error) continue;
      await this.session.db.query('UPDATE model_calls SET body = $1::jsonb WHERE seq = $2', [
        jsonText({ ...call, error: masked }),
        row.seq,
      ]);
      changed++;
    }
    return changed;
  }

  async markInterrupted(): Promise<number> {
    const result = await this.session.db.query(
      `UPDATE model_calls SET body = jsonb_set(body, '{outcome}', '"interrupted"')
       WHERE body->>'outcome' = 'in_flight'`,
    );
    return result.rowCount;
  }
}
