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
  const { max_chunk_size_tokens: size, chunk_overlap_tokens: overlap } = chunking.static;
  const tokens = encode(text, { disallowedSpecial: new Set() });
  if (tokens.length > maxTokens) {
    throw new FileParseError(
      'invalid_file',
      `The file has ${tokens.length} tokens, over the ${maxTokens} tokens file search indexes from one file.`,
    );
  }
  const chunks: TextChunk[] = [];
  const step = size - overlap;
  for (let start = 0; start < tokens.length; start += step) {
    const window = tokens.slice(start, start + size);
    // A character split between two tokens decodes as U+FFFD at the edge of a window: drop that half.
    const chunk = decode(window).replace(/^\uFFFD+|\uFFFD+$/g, '');
    if (chunk.trim() !== '') chunks.push({ index: chunks.length, text: chunk, tokens: window.length });
    if (start + size >= tokens.length) break;
  }
  return chunks;
}

/** The o200k token count of a text (a query, a chunk). */
export function countTokens(text: string): number {
  return encode(text, { disallowedSpecial: new Set() }).length;
}
