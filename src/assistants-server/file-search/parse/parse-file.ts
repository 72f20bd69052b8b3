import { extensionOf, fileKindOf, type FileKind } from './file-types';
import { htmlToText } from './html-to-text';
import { docxText, pptxText } from './office-text';
import { FileParseError, unsupportedFile } from './parse-errors';
import { pdfText } from './pdf-text';
import { tooMuchText } from './text-collector';

/** Bounds on what parsing one file may read, hold and spend. */
export interface ParseLimits {
  /** The most bytes of one file parsed (a larger file is refused before any parsing). */
  maxBytes: number;
  /** The most characters of text extracted from one file (5,000,000 tokens is about 20,000,000 characters). */
  maxChars: number;
  /** The longest a PDF may take to parse. */
  pdfTimeoutMs: number;
  /** The most bytes a DOCX or PPTX archive may expand to. */
  maxExpandedBytes: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxBytes: 64 * 1024 * 1024,
  maxChars: 20_000_000,
  pdfTimeoutMs: 30_000,
  maxExpandedBytes: 256 * 1024 * 1024,
};

export interface ParsedFile {
  kind: FileKind;
  text: string;
  /** Pages of a PDF, slides of a deck; null for kinds without pages. */
  pages: number | null;
}

/**
 * What can be refused before a file's bytes are read: a type not on the list (`unsupported_file`) and a size over
 * `maxBytes` (`invalid_file`). Answers the file's kind.
 */
export function checkBeforeParsing(
  filename: string,
  byteLength: number,
  mimeType: string | null,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): FileKind {
  const kind = fileKindOf(filename, mimeType);
  if (kind === null) throw unsupportedFile(extensionOf(filename));
  if (byteLength > limits.maxBytes) {
    throw new FileParseError(
      'invalid_file',
      `The file is ${byteLength} bytes, over the ${limits.maxBytes} bytes file search parses.`,
    );
  }
  return kind;
}

/**
 * The text file search indexes from a file's bytes. Refuses (throws `FileParseError`) a type not on the list
 * (`unsupported_file`, OpenAI's wording), and a file that is too large, not text of its kind, broken, or slower
 * to parse than the limits allow (`invalid_file`).
 */
export async function parseFile(
  bytes: Uint8Array,
  filename: string,
  options: { mimeType?: string | null; limits?: Partial<ParseLimits> } = {},
): Promise<ParsedFile> {
  const limits = { ...DEFAULT_PARSE_LIMITS, ...options.limits };
  const kind = checkBeforeParsing(filename, bytes.byteLength, options.mimeType ?? null, limits);
  switch (kind) {
    case 'pdf': {
      const { text, pages } = await pdfText(bytes, {
        maxChars: limits.maxChars,
        timeoutMs: limits.pdfTimeoutMs,
      });
      return { kind, text, pages };
    }
    case 'docx':
      return { kind, text: await docxText(bytes, limits), pages: null };
    case 'pptx':
      return { kind, ...pptxText(bytes, limits) };
    case 'html':
      return { kind, text: htmlToText(decodeText(bytes, limits.maxChars), limits.maxChars), pages: null };
    default:
      return { kind, text: decodeText(bytes, limits.maxChars).replace(/\r\n?/g, '\n'), pages: null };
  }
}

/** UTF-8 (or UTF-16 with its byte-order mark), as OpenAI required of text files; anything else is refused. */
export function decodeText(bytes: Uint8Array, maxChars: number): string {
  const encoding =
    bytes[0] === 0xff && bytes[1] === 0xfe
      ? 'utf-16le'
      : bytes[0] === 0xfe && bytes[1] === 0xff
        ? 'utf-16be'
        : 'utf-8';
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new FileParseError('invalid_file', 'The file is not UTF-8 or UTF-16 text.');
  }
  if (text.includes('\u0000')) throw new FileParseError('invalid_file', 'The file is binary, not text.');
  if (text.length > maxChars) throw tooMuchText(maxChars);
  return text;
}
