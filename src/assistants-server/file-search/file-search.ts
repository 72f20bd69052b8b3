import { badRequest } from '../api-error';
import { MAX_CANDIDATES, type ChunkHit, type ChunkIndex } from './chunk-index';
import { AUTO_CHUNKING, MAX_TOKENS_PER_FILE, type StaticChunking } from './chunking';
import { embedTexts, type EmbeddingSettings } from './embeddings';
import { inThreadParser, ParserStoppedError, type FileParser } from './parse/file-parser';
import {
  checkBeforeParsing,
  DEFAULT_PARSE_LIMITS,
  type ParsedFile,
  type ParseLimits,
} from './parse/parse-file';
import { FileParseError } from './parse/parse-errors';
import { checkSearchOptions, fuseRankings, type Ranker, type RankingOptions } from './rank';

/** How indexing one file ended, in the terms of a vector store file's `status` and `last_error`. */
export type IndexOutcome =
  | { status: 'completed'; chunks: number; tokens: number; usageBytes: number; pages: number | null }
  | {
      status: 'failed';
      lastError: { code: 'server_error' | 'unsupported_file' | 'invalid_file'; message: string };
    }
  /** Stopped (`signal`), or `superseded`: a newer generation of the file was indexed meanwhile (nothing written). */
  | { status: 'cancelled'; superseded?: true };

export interface SearchOutcome {
  hits: ChunkHit[];
  /** `hybrid` when the query was embedded too; `lexical` with no model, or when embedding the query failed. */
  mode: 'hybrid' | 'lexical';
  /** Why the query could not be embedded (the search went on by words alone). */
  embeddingError: string | null;
}

/** The most queries one search runs (`query` may be a list), and the characters of each that are used. */
export const MAX_QUERIES = 10;
export const MAX_QUERY_CHARS = 10_000;

export interface FileSearchOptions {
  index: ChunkIndex;
  /** Null: no embedding model; chunks are found by their words (the embedded default). */
  embeddings: EmbeddingSettings | null;
  parseLimits?: Partial<ParseLimits>;
  maxTokensPerFile?: number;
  /**
   * Who parses and chunks files: the server's `WorkerParser` (a bounded pool of worker threads, closed by its
   * creator); in this thread when not given (the engine's tests, the bench).
   */
  parser?: FileParser;
}

/**
 * The file-search engine the routes and the executors call: `index` turns a file's bytes into searchable chunks
 * of a vector store (parse → chunk → embed when a model is configured → store), `search` finds the best chunks of
 * some stores for a query (by words, and by embedding when a model is configured, fused by reciprocal rank).
 */
export class FileSearch {
  private readonly parser: FileParser;
  private readonly parseLimits: ParseLimits;

  constructor(private readonly options: FileSearchOptions) {
    this.parser = options.parser ?? inThreadParser;
    this.parseLimits = { ...DEFAULT_PARSE_LIMITS, ...options.parseLimits };
  }

  get hasEmbeddings(): boolean {
    return this.options.embeddings !== null;
  }

  /**
   * Why a file cannot be indexed, known before its bytes are read (its type, its size), or null: the routes refuse
   * an unsupported type when it is attached, and fail a file too large without reading it.
   */
  refusalBeforeReading(file: {
    filename: string;
    bytes: number;
    mimeType?: string | null;
  }): FileParseError | null {
    try {
      checkBeforeParsing(file.filename, file.bytes, file.mimeType ?? null, this.parseLimits);
      return null;
    } catch (error) {
      if (error instanceof FileParseError) return error;
      throw error;
    }
  }

  /**
   * The text `index` cuts into chunks, parsed again from the bytes (throws `FileParseError`); aborting `signal` ends
   * the parse (its worker).
   */
  async parse(
    file: { filename: string; bytes: Uint8Array; mimeType?: string | null },
    signal?: AbortSignal,
  ): Promise<ParsedFile> {
    return this.parser.parse(file, this.parseLimits, signal);
  }

  async index(file: {
    vectorStoreId: string;
    fileId: string;
    /** `FileChunks.generation`: the vector store file row's `seq`. */
    generation?: number;
    filename: string;
    bytes: Uint8Array;
    mimeType?: string | null;
    chunking?: StaticChunking;
    signal?: AbortSignal;
  }): Promise<IndexOutcome> {
    try {
      const { parsed, chunks } = await this.parser.parseAndChunk(file, {
        limits: this.parseLimits,
        chunking: file.chunking ?? AUTO_CHUNKING,
        maxTokens: this.options.maxTokensPerFile ?? MAX_TOKENS_PER_FILE,
        signal: file.signal,
      });
      if (file.signal?.aborted) return { status: 'cancelled' };
      let embeddings: Float32Array[] | null = null;
      if (this.options.embeddings && chunks.length > 0) {
        const result = await embedTexts(
          this.options.embeddings,
          chunks.map((chunk) => chunk.text),
          { signal: file.signal },
        );
        if (!result.ok) {
          return result.aborted
            ? { status: 'cancelled' }
            : {
                status: 'failed',
                lastError: {
                  code: 'server_error',
                  message: `The file's chunks could not be embedded: ${result.message}`,
                },
              };
        }
        embeddings = result.completion.vectors;
      }
      if (file.signal?.aborted) return { status: 'cancelled' };
      const usage = await this.options.index.putFile({
        vectorStoreId: file.vectorStoreId,
        fileId: file.fileId,
        filename: file.filename,
        chunks: chunks.map((chunk, index) => ({
          text: chunk.text,
          tokens: chunk.tokens,
          embedding: embeddings?.[index] ?? null,
        })),
        generation: file.generation,
      });
      if (!usage) return { status: 'cancelled', superseded: true };
      return {
        status: 'completed',
        chunks: usage.chunks,
        usageBytes: usage.usageBytes,
        tokens: chunks.reduce((sum, chunk) => sum + chunk.tokens, 0),
        pages: parsed.pages,
      };
    } catch (error) {
      if (file.signal?.aborted) return { status: 'cancelled' };
      if (error instanceof FileParseError) {
        return { status: 'failed', lastError: { code: error.code, message: error.message } };
      }
      if (error instanceof ParserStoppedError) {
        return { status: 'failed', lastError: { code: 'server_error', message: error.message } };
      }
      throw error;
    }
  }

  /**
   * The best chunks of the stores for the query (or each query of a list), `max_num_results` (1–50, default 10
   * as the vector store search; the file_search tool passes its own) after `ranking_options`. Bad options are
   * refused with a 400 in OpenAI's wording.
   */
  async search(
    vectorStoreIds: readonly string[],
    query: string | readonly string[],
    options: {
      maxNumResults?: number;
      rankingOptions?: RankingOptions;
      rankers?: readonly Ranker[];
      signal?: AbortSignal;
      /** By words alone, even with an embedding model: no network call (a search inside a transaction). */
      byWordsOnly?: boolean;
    } = {},
  ): Promise<SearchOutcome> {
    const { maxNumResults, scoreThreshold } = checkSearchOptions(
      options.maxNumResults ?? 10,
      options.rankingOptions ?? {},
      options.rankers,
    );
    const queries = queriesOf(query);
    const candidates = Math.min(MAX_CANDIDATES, Math.max(20, maxNumResults * 4));
    const lists: ChunkHit[][] = [];
    for (const text of queries) {
      lists.push(await this.options.index.searchText(vectorStoreIds, text, { limit: candidates }));
    }
    let mode: SearchOutcome['mode'] = 'lexical';
    let embeddingError: string | null = null;
    if (this.options.embeddings && !options.byWordsOnly) {
      const embedded = await embedTexts(this.options.embeddings, queries, { signal: options.signal });
      if (embedded.ok) {
        mode = 'hybrid';
        for (const vector of embedded.completion.vectors) {
          lists.push(await this.options.index.searchVectors(vectorStoreIds, vector, { limit: candidates }));
        }
      } else {
        embeddingError = embedded.aborted ? 'The search was cancelled.' : embedded.message;
      }
    }
    return { hits: fuseRankings(lists, { maxNumResults, scoreThreshold }), mode, embeddingError };
  }
}

function queriesOf(query: string | readonly string[]): string[] {
  const list = (typeof query === 'string' ? [query] : [...query]).map((text) =>
    text.slice(0, MAX_QUERY_CHARS),
  );
  if (list.length === 0 || list.length > MAX_QUERIES || list.some((text) => text.trim() === '')) {
    throw badRequest(
      `Invalid 'query': expected a non-empty string or 1 to ${MAX_QUERIES} non-empty strings.`,
      'query',
      'invalid_value',
    );
  }
  return list;
}
