import type { StaticChunking, TextChunk } from '../chunking';
import type { ParsedFile, ParseLimits } from './parse-file';

/** What a parse worker is given: the file's bytes (moved to it), and the chunking when it is to cut chunks too. */
export interface ParseTask {
  filename: string;
  mimeType: string | null;
  bytes: Uint8Array;
  limits: ParseLimits;
  /** Null: the text is answered; else the chunks. */
  chunking: StaticChunking | null;
  maxTokens: number;
}

export type ParseTaskResult =
  | { ok: true; parsed: Omit<ParsedFile, 'text'>; text: string | null; chunks: TextChunk[] | null }
  | { ok: false; code: 'unsupported_file' | 'invalid_file'; message: string };
