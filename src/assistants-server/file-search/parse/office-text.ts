import { unzipSync } from 'fflate';
import { Parser } from 'htmlparser2';
import { FileParseError } from './parse-errors';
import { TextCollector } from './text-collector';

/**
 * DOCX and PPTX are zip archives: before anything inflates them, the sizes their directory declares are added up
 * and an archive that would expand past `maxExpandedBytes` is refused (a zip bomb never reaches memory).
 */
function checkExpandedSize(bytes: Uint8Array, maxExpandedBytes: number, what: string): void {
  let total = 0;
  try {
    unzipSync(bytes, {
      filter(file) {
        total += file.originalSize;
        return false;
      },
    });
  } catch (error) {
    throw new FileParseError('invalid_file', `The file could not be parsed as ${what}: ${String(error)}`);
  }
  if (total > maxExpandedBytes) {
    throw new FileParseError(
      'invalid_file',
      `The file expands to ${total} bytes, over the ${maxExpandedBytes} bytes file search reads.`,
    );
  }
}

/** The raw text of a Word document, one paragraph a line, through mammoth. */
export async function docxText(
  bytes: Uint8Array,
  limits: { maxChars: number; maxExpandedBytes: number },
): Promise<string> {
  checkExpandedSize(bytes, limits.maxExpandedBytes, 'a DOCX document');
  const mammoth = (await import('mammoth')).default;
  let text: string;
  try {
    ({ value: text } = await mammoth.extractRawText({ buffer: Buffer.from(bytes) }));
  } catch (error) {
    throw new FileParseError(
      'invalid_file',
      `The file could not be parsed as a DOCX document: ${String(error)}`,
    );
  }
  const out = new TextCollector(limits.maxChars);
  for (const line of text.split('\n')) {
    out.append(line);
    out.newline();
  }
  return out.text();
}

/** The text of each slide of a PowerPoint deck (its `<a:t>` runs, one paragraph a line), in slide order. */
export function pptxText(
  bytes: Uint8Array,
  limits: { maxChars: number; maxExpandedBytes: number },
): { text: string; pages: number } {
  checkExpandedSize(bytes, limits.maxExpandedBytes, 'a PPTX presentation');
  const slideNumber = (name: string) => Number(/^ppt\/slides\/slide(\d+)\.xml$/.exec(name)?.[1] ?? NaN);
  const files = unzipSync(bytes, { filter: (file) => Number.isFinite(slideNumber(file.name)) });
  const slides = Object.keys(files).sort((a, b) => slideNumber(a) - slideNumber(b));
  const out = new TextCollector(limits.maxChars);
  for (const name of slides) {
    let inText = false;
    const parser = new Parser(
      {
        onopentag(tag) {
          inText = tag === 'a:t';
        },
        onclosetag(tag) {
          if (tag === 'a:t') inText = false;
          if (tag === 'a:p') out.newline();
        },
        ontext(text) {
          if (inText) out.append(text);
        },
      },
      { xmlMode: true, decodeEntities: true },
    );
    parser.end(Buffer.from(files[name]!).toString('utf8'));
    out.newline();
  }
  return { text: out.text(), pages: slides.length };
}
