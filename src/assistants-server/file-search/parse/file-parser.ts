import { chunkTextYielding, type StaticChunking, type TextChunk } from '../chunking';
import { parseFile, type ParsedFile, type ParseLimits } from './parse-file';

/** A file's bytes as a parser takes them. */
export interface FileToParse {
  filename: string;
  bytes: Uint8Array;
  mimeType?: string | null;
}

/** A file parsed and cut into chunks: its kind and pages, and the chunks (the whole text is not kept). */
export interface ChunkedFile {
  parsed: Omit<ParsedFile, 'text'>;
  chunks: TextChunk[];
}

/**
 * Turns a file's bytes into text, or into chunks. Both throw `FileParseError` for a file that cannot be read as its
 * type (`unsupported_file` | `invalid_file`), `ParserStoppedError` when the parser itself failed (a worker that
 * crashed), and the signal's reason when it aborts.
 */
export interface FileParser {
  /** `signal`: aborting ends the parse (its worker, if any); it rejects with the signal's reason. */
  parse(file: FileToParse, limits: ParseLimits, signal?: AbortSignal): Promise<ParsedFile>;
  parseAndChunk(
    file: FileToParse,
    options: { limits: ParseLimits; chunking: StaticChunking; maxTokens: number; signal?: AbortSignal },
  ): Promise<ChunkedFile>;
  close(): Promise<void>;
}

/** The parser itself failed on a file (not the file's fault): its vector store file fails with `server_error`. */
export class ParserStoppedError extends Error {
  override readonly name = 'ParserStoppedError';
}

/**
 * Parses in this thread: what the engine does without a worker pool (tests of the engine, the bench). PDF.js and
 * mammoth then hold this thread's event loop while they parse; the server uses `WorkerParser`.
 */
export const inThreadParser: FileParser = {
  parse: (file, limits) => parseFile(file.bytes, file.filename, { mimeType: file.mimeType, limits }),
  async parseAndChunk(file, { limits, chunking, maxTokens }) {
    const { text, ...parsed } = await parseFile(file.bytes, file.filename, {
      mimeType: file.mimeType,
      limits,
    });
    return { parsed, chunks: await chunkTextYielding(text, chunking, maxTokens) };
  },
  close: async () => undefined,
};
