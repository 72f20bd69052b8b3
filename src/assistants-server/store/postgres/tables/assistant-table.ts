import type { Assistant } from '../../../../shared/openai-types';
import type { AssistantTable } from '../../assistants-store';
import type { PageRequest, PageResult } from '../../cursor-page';
import { pageOf } from './pg-cursor-page';
import { jsonText, type PgSession } from './pg-session';

export class PgAssistantTable implements AssistantTable {
  constructor(private readonly session: PgSession) {}

  async insert(assistant: Assistant): Promise<void> {
    await this.session.db.query('INSERT INTO assistants (id, created_at, body) VALUES ($1, $2, $3::jsonb)', [
      assistant.id,
      assistant.created_at,
      jsonText(assistant),
    ]);
    await this.session.written({
      object: 'assistant',
      change: 'created',
      assistant: structuredClone(assistant),
    });
  }

  async update(assistant: Assistant): Promise<void> {
    await this.session.db.query('UPDATE assistants SET body = $1::jsonb WHERE id = $2', [
      jsonText(assistant),
      assistant.id,
    ]);
    await this.session.written({
      object: 'assistant',
      change: 'updated',
      assistant: structuredClone(assistant),
    });
  }

  async delete(assistant: Assistant): Promise<void> {
    await this.session.db.query('DELETE FROM assistants WHERE id = $1', [assistant.id]);
    await this.session.written({
      object: 'assistant',
      change: 'deleted',
      assistant: structuredClone(assistant),
    });
  }

  async get(id: string): Promise<Assistant | null> {
    const { rows } = await this.session.db.query<{ body: string }>(
      'SELECT body::text AS body FROM assistants WHERE id = $1',
      [id],
    );
    return rows[0] ? (JSON.parse(rows[0].body) as Assistant) : null;
  }

  async oldest(): Promise<Assistant | null> {
    const { rows } = await this.session.db.query<{ body: string }>(
      'SELECT body::text AS body FROM assistants ORDER BY created_at, seq LIMIT 1',
    );
    return rows[0] ? (JSON.parse(rows[0].body) as Assistant) : null;
  }

  async names(): Promise<Map<string, string>> {
    const { rows } = await this.session.db.query<{ id: string; name: string }>(
      "SELECT id, body->>'name' AS name FROM assistants WHERE coalesce(body->>'name', '') <> ''",
    );
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  page(request: PageRequest): Promise<PageResult> {
    return pageOf(this.session.db, 'assistants', {}, request);
  }
}
