import { describe, expect, it } from 'vitest';
import { EmulatorApiError } from '../api-error';
import {
  AUTO_CHUNKING,
  checkStaticChunking,
  chunkText,
  chunkTextYielding,
  countTokens,
  TOKENIZE_SLICE_CHARS,
  tokenizeSlices,
  UNBROKEN_SLICE_CHARS,
  type StaticChunking,
} from './chunking';
import { FileParseError } from './parse/parse-errors';

const staticChunking = (size: number, overlap: number): StaticChunking => ({
  type: 'static',
  static: { max_chunk_size_tokens: size, chunk_overlap_tokens: overlap },
});

/** 1,000 distinct words: " w0 w1 …", each a few tokens. */
const numbered = (count: number) => Array.from({ length: count }, (_, index) => `w${index}`).join(' ');

describe('chunkText', () => {
  it("auto is OpenAI's 800 tokens with 400 of overlap", () => {
    expect(AUTO_CHUNKING.static).toEqual({ max_chunk_size_tokens: 800, chunk_overlap_tokens: 400 });
    const text = numbered(1500);
    const total = countTokens(text);
    const chunks = chunkText(text);
    expect(chunks.slice(0, -1).every((chunk) => chunk.tokens === 800)).toBe(true);
    // Windows start every 400 tokens until one reaches the end.
    expect(chunks).toHaveLength(Math.ceil((total - 800) / 400) + 1);
    expect(chunks.at(-1)!.text.endsWith(`w1499`)).toBe(true);
    expect(chunks.map((chunk) => chunk.index)).toEqual(chunks.map((_, index) => index));
  });

  it('consecutive chunks share exactly the overlap, and together hold the whole text', () => {
    const text = numbered(600);
    const chunks = chunkText(text, staticChunking(100, 50));
    for (let index = 1; index < chunks.length; index++) {
      const previous = chunks[index - 1]!.text;
      const shared = chunks[index]!.text.slice(0, 60);
      expect(previous).toContain(shared);
    }
    expect(chunks[0]!.text.startsWith('w0 w1')).toBe(true);
    expect(chunks.at(-1)!.text.endsWith('w599')).toBe(true);
  });

  it('with no overlap the chunks join back into the text', () => {
    const text = numbered(700);
    expect(
      chunkText(text, staticChunking(128, 0))
        .map((chunk) => chunk.text)
        .join(''),
    ).toBe(text);
  });

  it('a short text is one chunk; an empty one none', () => {
    expect(chunkText('Hello there.')).toEqual([{ index: 0, text: 'Hello there.', tokens: 3 }]);
    expect(chunkText('   \n ')).toEqual([]);
  });

  it('reads special-token strings in a document as text', () => {
    expect(chunkText('before <|endoftext|> after')[0]!.text).toBe('before <|endoftext|> after');
  });

  it('refuses a text over the token limit per file (5,000,000 by default)', () => {
    expect(() => chunkText(numbered(100), AUTO_CHUNKING, 50)).toThrow(FileParseError);
    expect(() => chunkText(numbered(100), AUTO_CHUNKING, 50)).toThrow(
      /^The file has \d+ tokens, over the 50 tokens file search indexes from one file\.$/,
    );
  });
});

describe('checkStaticChunking', () => {
  const refusal = (size: number, overlap: number) => {
    try {
      checkStaticChunking(staticChunking(size, overlap));
    } catch (error) {
      expect(error).toBeInstanceOf(EmulatorApiError);
      return (error as EmulatorApiError).toBody().error;
    }
    return null;
  };

  it('accepts 100–4096 tokens with an overlap up to half', () => {
    expect(refusal(100, 50)).toBeNull();
    expect(refusal(4096, 2048)).toBeNull();
    expect(refusal(800, 0)).toBeNull();
  });

  it('refuses sizes outside 100–4096 and overlaps past half, naming the field', () => {
    expect(refusal(99, 0)).toEqual({
      message:
        "Invalid 'chunking_strategy.static.max_chunk_size_tokens': integer below minimum value. Expected a value >= 100, but got 99 instead.",
      type: 'invalid_request_error',
      param: 'chunking_strategy.static.max_chunk_size_tokens',
      code: 'integer_below_min_value',
    });
    expect(refusal(4097, 0)?.code).toBe('integer_above_max_value');
    expect(refusal(801, 401)).toMatchObject({
      message:
        "Invalid 'chunking_strategy.static.chunk_overlap_tokens': integer above maximum value. Expected a value <= 400, but got 401 instead.",
      param: 'chunking_strategy.static.chunk_overlap_tokens',
    });
    expect(refusal(800, -1)?.code).toBe('integer_below_min_value');
  });
});

describe('chunkTextYielding', () => {
  /** Prose with punctuation, new lines and runs of spaces, several slices long. */
  const prose = Array.from(
    { length: 4_000 },
    (_, index) => `Sentence ${index}, with   spaces; and words.${index % 7 === 0 ? '\n\n' : ' '}`,
  ).join('');

  it('cuts the same windows as chunkText over a text of several slices', async () => {
    expect(prose.length).toBeGreaterThan(3 * TOKENIZE_SLICE_CHARS);
    for (const chunking of [AUTO_CHUNKING, staticChunking(100, 30)]) {
      expect(await chunkTextYielding(prose, chunking)).toEqual(chunkText(prose, chunking));
    }
  });

  it('tokenizes a run without spaces in short slices, wherever it is, losing no character', () => {
    const cjk = '数据库服务器运行';
    const texts = {
      'short, no space': cjk.repeat(20_000 / cjk.length),
      'longer than a slice, no space': cjk.repeat(100_000 / cjk.length),
      'a long word then words': `${cjk.repeat(30_000 / cjk.length)} ${'word '.repeat(2_000)}`,
      'words then a long word': `${'word '.repeat(2_000)} ${cjk.repeat(30_000 / cjk.length)}`,
    };
    for (const [name, text] of Object.entries(texts)) {
      const slices = [...tokenizeSlices(text)].map(([start, end]) => text.slice(start, end));
      expect(slices.join(''), name).toBe(text);
      const longest = Math.max(...slices.flatMap((slice) => slice.split(' ').map((word) => word.length)));
      expect(longest, name).toBeLessThanOrEqual(UNBROKEN_SLICE_CHARS);
      expect(Math.max(...slices.map((slice) => slice.length)), name).toBeLessThanOrEqual(
        TOKENIZE_SLICE_CHARS,
      );
    }
  });

  it('never cuts a surrogate pair in text without spaces', () => {
    const emoji = 'a' + '😀'.repeat(TOKENIZE_SLICE_CHARS);
    const slices = [...tokenizeSlices(emoji)].map(([start, end]) => emoji.slice(start, end));
    expect(slices.length).toBeGreaterThan(TOKENIZE_SLICE_CHARS / UNBROKEN_SLICE_CHARS);
    for (const slice of slices) expect(slice).toMatch(/^(?:a|\uD83D\uDE00)+$/);
  });

  it('serves the event loop while it works, and refuses past the token limit without reading on', async () => {
    let timerFired = false;
    setTimeout(() => (timerFired = true), 0);
    const chunks = chunkTextYielding(prose);
    expect(timerFired).toBe(false);
    await chunks;
    expect(timerFired).toBe(true);
    await expect(chunkTextYielding(prose, AUTO_CHUNKING, 50)).rejects.toThrow(
      /^The file has at least \d+ tokens, over the 50 tokens file search indexes from one file\.$/,
    );
  });
});
