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
 * Tokenized slice by slice (`tokenizeSlices`), as `chunkTextYielding` does, so both cut the same windows.
 */
export function chunkText(
  text: string,
  chunking: StaticChunking = AUTO_CHUNKING,
  maxTokens = MAX_TOKENS_PER_FILE,
): TextChunk[] {
  const tokens: number[] = [];
  for (const slice of tokenizeSlices(text)) for (const token of encodeSlice(text, slice)) tokens.push(token);
  if (tokens.length > maxTokens) throw tooManyTokens(tokens.length, maxTokens);
  return [...windowsOf(tokens, chunking)];
}

/** Text is tokenized this many characters at a time by `chunkTextYielding`, the event loop served in between. */
export const TOKENIZE_SLICE_CHARS = 32_768;
/**
 * The longest run of characters without a space tokenized in one piece: the tokenizer's merges grow with the square
 * of a word's length (20,000 CJK characters without punctuation took 1.2 s of CPU in one piece).
 */
export const UNBROKEN_SLICE_CHARS = 4_096;
/** Windows decoded between two turns of the event loop. */
const WINDOWS_PER_TURN = 256;

/**
 * `chunkText` for a file: the same windows, with the event loop served between slices of the work, so a large
 * file does not hold every other request for seconds (1,000,000 words take about 3 s to tokenize on the shared
 * machine). The text is tokenized a slice at a time (`tokenizeSlices`), and refused as soon as it passes `maxTokens`.
 */
export async function chunkTextYielding(
  text: string,
  chunking: StaticChunking = AUTO_CHUNKING,
  maxTokens = MAX_TOKENS_PER_FILE,
): Promise<TextChunk[]> {
  const tokens: number[] = [];
  for (const slice of tokenizeSlices(text)) {
    for (const token of encodeSlice(text, slice)) tokens.push(token);
    if (tokens.length > maxTokens) throw tooManyTokens(`at least ${tokens.length}`, maxTokens);
    await nextTurn();
  }
  const chunks: TextChunk[] = [];
  for (const chunk of windowsOf(tokens, chunking)) {
    chunks.push(chunk);
    if (chunks.length % WINDOWS_PER_TURN === 0) await nextTurn();
  }
  return chunks;
}

/**
 * The slices, `[start, end)` in order, that `chunkTextYielding` tokenizes one at a time: at most
 * `TOKENIZE_SLICE_CHARS`, each cut just before a space (o200k attaches a word's leading space to it, so " word"
 * tokenizes alike on either side of the cut). A run of more than `UNBROKEN_SLICE_CHARS` characters without a space
 * (CJK without punctuation, a run of emoji, a long token) starts a slice of its own and is cut every
 * `UNBROKEN_SLICE_CHARS` characters, never between a surrogate pair's halves.
 */
export function* tokenizeSlices(text: string): Generator<[number, number]> {
  for (let start = 0; start < text.length;) {
    let end = Math.min(text.length, start + TOKENIZE_SLICE_CHARS);
    if (end < text.length) {
      const space = text.lastIndexOf(' ', end);
      if (space > start) end = space;
    }
    const run = longRunStart(text, start, end);
    if (run > start + 1)
      end = run - 1; // just before the run's leading space
    else if (run !== -1) {
      end = start + UNBROKEN_SLICE_CHARS;
      if (/[\uD800-\uDBFF]/.test(text[end - 1]!)) end -= 1;
    }
    yield [start, end];
    start = end;
  }
}

const encodeSlice = (text: string, [start, end]: [number, number]) =>
  encode(text.slice(start, end), { disallowedSpecial: new Set() });

/** Where the first run of more than `UNBROKEN_SLICE_CHARS` characters without a space in [start, end) starts, or -1. */
function longRunStart(text: string, start: number, end: number): number {
  let runStart = start;
  for (let at = start; at < end; at++) {
    if (text.charCodeAt(at) === SPACE) runStart = at + 1;
    else if (at - runStart >= UNBROKEN_SLICE_CHARS) return runStart;
  }
  return -1;
}

const SPACE = 0x20;

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
