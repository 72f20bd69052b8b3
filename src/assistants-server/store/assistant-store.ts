import type { Assistant } from '../../shared/openai-types';
import type { LifecycleEvents } from '../events/lifecycle-events';
import { CursorPager, type PageRequest, type PageResult } from './cursor-page';
import type { Db } from './database';

export class AssistantStore {
  private readonly pager: CursorPager;
  private readonly insertStatement;
  private readonly updateStatement;
  private readonly deleteStatement;
  private readonly getStatement;
  private readonly firstStatement;
  private readonly namesStatement;

  constructor(
    db: Db,
    private readonly events: LifecycleEvents,
  ) {
    this.pager = new CursorPager(db, 'assistants');
    this.insertStatement = db.prepare('INSERT INTO assistants (id, created_at, body) VALUES (?, ?, ?)');
    this.updateStatement = db.prepare('UPDATE assistants SET body = ? WHERE id = ?');
    this.deleteStatement = db.prepare('DELETE FROM assistants WHERE id = ?');
    this.getStatement = db.prepare('SELECT body FROM assistants WHERE id = ?');
    this.firstStatement = db.prepare('SELECT body FROM assistants ORDER BY created_at, seq LIMIT 1');
    this.namesStatement = db.prepare(
      "SELECT id, json_extract(body, '$.name') AS name FROM assistants WHERE coalesce(json_extract(body, '$.name'), '') <> ''",
    );
  }

  insert(assistant: Assistant): void {
    this.insertStatement.run(assistant.id, assistant.created_at, JSON.stringify(assistant));
    this.events.publish({ object: 'assistant', change: 'created', assistant: structuredClone(assistant) });
  }

  update(assistant: Assistant): void {
    this.updateStatement.run(JSON.stringify(assistant), assistant.id);
    this.events.publish({ object: 'assistant', change: 'updated', assistant: structuredClone(assistant) });
  }

  /** Runs keep their `assistant_id` (they copied what they need when they were created). */
  delete(assistant: Assistant): void {
    this.deleteStatement.run(assistant.id);
    this.events.publish({ object: 'assistant', change: 'deleted', assistant: structuredClone(assistant) });
  }

  get(id: string): Assistant | null {
    const row = this.getStatement.get(id) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as Assistant) : null;
  }

  oldest(): Assistant | null {
    const row = this.firstStatement.get() as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as Assistant) : null;
  }

  /** Every assistant that has a name: id → name. */
  names(): Map<string, string> {
    const rows = this.namesStatement.all() as Array<{ id: string; name: string }>;
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  page(request: PageRequest): PageResult {
    return this.pager.page({}, request);
  }
}
