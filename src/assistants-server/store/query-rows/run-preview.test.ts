import { describe, expect, it } from 'vitest';
import type { Message, Run } from '../../../shared/openai-types';
import { RUN_PREVIEW_MAX_CHARS } from '../../../shared/runs-query-types';
import { replyPreviewFull, runPreview } from './run-preview';

const message = (text: string): Message =>
  ({
    role: 'assistant',
    content: [{ type: 'text', text: { value: text, annotations: [] } }],
  }) as unknown as Message;
const completed = { status: 'completed', required_action: null } as unknown as Run;

describe('run previews', () => {
  it('fold a long reply to one line within the bound, reading only its start', () => {
    const reply = `  The   answer\n\nis ${'long '.repeat(400_000)}`;
    const preview = runPreview(completed, { input: message('What is it?'), reply: message(reply) });
    expect(preview.input).toBe('What is it?');
    expect(preview.output).toHaveLength(RUN_PREVIEW_MAX_CHARS);
    expect(preview.output).toMatch(/^The answer is long long .*…$/);
  });

  it('say when a growing reply already fills its preview, so what is appended is not read again', () => {
    expect(replyPreviewFull('')).toBe(false);
    expect(replyPreviewFull('a'.repeat(RUN_PREVIEW_MAX_CHARS - 1))).toBe(false);
    expect(replyPreviewFull('a'.repeat(RUN_PREVIEW_MAX_CHARS))).toBe(true);
    // White space folds: a long run of spaces does not fill it.
    expect(replyPreviewFull(`a${' '.repeat(RUN_PREVIEW_MAX_CHARS * 2)}b`)).toBe(false);
  });
});
