import { decode, encode } from 'gpt-tokenizer/encoding/o200k_base';
import type { StaticChunkingStrategy } from '../../shared/openai-types';
import { integer } from '../../shared/requests/request-fields';
import { checkedOption } from './checked-option';
import { FileParseError } from './parse/parse-errors';

/** A vector store file's chunking as OpenAI answers it (`StaticChunkingStrategyResponseParam`). */
export type StaticChunking = StaticChunkingStrategy;

/** What `{type: 'auto'}` (or no `chunking_strategy`) means at OpenAI. */
export const AUTO_CHUNKING: StaticChunking = {
  type: 'static',
  static: { max_chunk_size_tokens: 800, chunk_overlap_tokens: 400 },
};

export const CHUNK_SIZE_RANGE = { min: 100, max: 4096 };

/** OpenAI's limit for file search: a file of more tokens is not indexed. */
export const MAX_TOKENS_PER_FILE = 5_000_000;

/**
 * Checks a static strategy's numbers as OpenAI's spec bounds them (`StaticChunkingStrategy`: size 100–4096,
 * overlap at least 0 and at most half the size), refusing in the wording of the server's other range checks;
 * `path` is where the strategy sits in the request (`chunking_strategy`, `file_ids[0]…`). The shape
 * (`type`, integers) is the request schema's job.
 */
export function checkStaticChunking(chunking: StaticChunking, path = 'chunking_strategy'): StaticChunking {
  const { max_chunk_size_tokens: size, chunk_overlap_tokens: overlap } = chunking.static;
  checkedOption(integer(CHUNK_SIZE_RANGE), size, `${path}.static.max_chunk_size_tokens`);
  checkedOption(
    integer({ min: 0, max: Math.floor(size / 2) }),
    overlap,
    `${path}.static.chunk_overlap_tokens`,
  );
  return chunking;
}

export interface TextChunk {
  /** 0-based position in the file. */
  index: number;
  text: string;
  tokens: number;
}

/**
 * Cuts text into windows of `max_chunk_size_tokens` o200k tokens (the tokenizer of gpt-4o and later), each
 * starting `max_chunk_size_tokens - chunk_overlap_tokens` tokens after the one before, so consecutive chunks share
 * `chunk_overlap_tokens`; the last window ends at the end of the text. Special-token strings in a document
 * (`<|endoftext|>`) are text like any other. A text of more than `maxTokens` tokens is refused (`invalid_file`).
 */
export function chunkText(
  text: string,
  chunking: StaticChunking = AUTO_CHUNKING,
  maxTokens = MAX_TOKENS_PER_FILE,
): TextChunk[] {
  const tokens = encode(text, { disallowedSpecial: new Set() });
  if (tokens.length > maxTokens) throw tooManyTokens(tokens.length, maxTokens);
  return [...windowsOf(tokens, chunking)];
}

/** Text is tokenized this many characters at a time by `chunkTextYielding`, the event loop served in between. */
export const TOKENIZE_SLICE_CHARS = 32_768;
/**
 * A slice without a space is cut this short: the tokenizer's merges grow with the square of a word's length (32k
 * letters without a break, CJK without punctuation or a run of emoji, took 2–5 s of CPU; 4k take 0.1 s).
 */
export const UNBROKEN_SLICE_CHARS = 4_096;
/** Windows decoded between two turns of the event loop. */
const WINDOWS_PER_TURN = 256;

/**
 * `chunkText` for a file: the same windows, with the event loop served between slices of the work, so a large
 * file does not hold every other request for seconds (1,000,000 words take about 3 s to tokenize on the shared
 * machine). The text is tokenized a slice at a time, each cut just before a space (o200k attaches a word's leading
 * space to it, so " word" tokenizes alike on either side of the cut), or after `UNBROKEN_SLICE_CHARS` where there is
 * none (the windows then differ from `chunkText`'s at those cuts), and refused as soon as it passes `maxTokens`.
 */
export async function chunkTextYielding(
  text: string,
  chunking: StaticChunking = AUTO_CHUNKING,
  maxTokens = MAX_TOKENS_PER_FILE,
): Promise<TextChunk[]> {
  const tokens: number[] = [];
  for (let start = 0; start < text.length;) {
    let end = Math.min(text.length, start + TOKENIZE_SLICE_CHARS);
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end);
      if (space > start) end = space;
      else {
        // Text without spaces (CJK, a long token): short slices, never cut between a surrogate pair's halves.
        end = Math.min(end, start + UNBROKEN_SLICE_CHARS);
        if (/[\uD800-\uDBFF]/.test(text[end - 1]!)) end -= 1;
      }
    }
    for (const token of encode(text.slice(start, end), { disallowedSpecial: new Set() })) tokens.push(token);
    if (tokens.length > maxTokens) throw tooManyTokens(`at least ${tokens.length}`, maxTokens);
    start = end;
    await nextTurn();
  }
  const chunks: TextChunk[] = [];
  for (const chunk of windowsOf(tokens, chunking)) {
    chunks.push(chunk);
    if (chunks.length % WINDOWS_PER_TURN === 0) await nextTurn();
  }
  return chunks;
}

function* windowsOf(tokens: readonly number[], chunking: StaticChunking): Generator<TextChunk> {
  const { max_chunk_size_tokens: size, chunk_overlap_tokens: overlap } = chunking.static;
  const step = size - overlap;
  let index = 0;
  for (let start = 0; start < tokens.length; start += step) {
    const window = tokens.slice(start, start + size);
    // A character split between two tokens decodes as U+FFFD at the edge of a window: drop that half.
    const chunk = decode(window).replace(/^\uFFFD+|\uFFFD+$/g, '');
    if (chunk.trim() !== '') yield { index: index++, text: chunk, tokens: window.length };
    if (start + size >= tokens.length) break;
  }
}

function tooManyTokens(count: number | string, maxTokens: number): FileParseError {
  return new FileParseError(
    'invalid_file',
    `The file has ${count} tokens, over the ${maxTokens} tokens file search indexes from one file.`,
  );
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The o200k token count of a text (a query, a chunk). */
export function countTokens(text: string): number {
  return encode(text, { disallowedSpecial: new Set() }).length;
}
