import { FileParseError } from './parse-errors';
import { TextCollector } from './text-collector';

/**
 * The text of a PDF, page by page, through unpdf (Mozilla's PDF.js built for servers, no canvas, no worker).
 * Bounded by `maxChars` and by `timeoutMs`: the deadline is checked between pages and races each page's
 * extraction, and the document is destroyed when the time is up. PDF.js parses in this thread, so one page that
 * takes long still holds the event loop for that page's time; a worker thread would bound it hard.
 */
export async function pdfText(
  bytes: Uint8Array,
  limits: { maxChars: number; timeoutMs: number },
): Promise<{ text: string; pages: number }> {
  const { getDocumentProxy } = await import('unpdf');
  const deadline = Date.now() + limits.timeoutMs;
  const timedOut = () =>
    new FileParseError('invalid_file', `The PDF could not be parsed within ${limits.timeoutMs} ms.`);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut()), limits.timeoutMs);
  });
  // PDF.js takes ownership of (and may detach) the buffer it is given: hand it a copy.
  const loading = getDocumentProxy(new Uint8Array(bytes), { isEvalSupported: false, stopAtErrors: false });
  try {
    const document = await Promise.race([loading, timeout]);
    const out = new TextCollector(limits.maxChars);
    for (let number = 1; number <= document.numPages; number++) {
      if (Date.now() > deadline) throw timedOut();
      const page = await Promise.race([document.getPage(number), timeout]);
      const content = await Promise.race([page.getTextContent(), timeout]);
      for (const item of content.items) {
        if (!('str' in item)) continue;
        out.append(item.str);
        if (item.hasEOL) out.newline();
      }
      out.newline();
      page.cleanup();
    }
    return { text: out.text(), pages: document.numPages };
  } catch (error) {
    if (error instanceof FileParseError) throw error;
    const name = (error as { name?: string }).name;
    if (name === 'PasswordException') {
      throw new FileParseError('invalid_file', 'The PDF is encrypted: file search cannot read it.');
    }
    throw new FileParseError('invalid_file', `The file could not be parsed as a PDF: ${messageOf(error)}`);
  } finally {
    clearTimeout(timer);
    // Also when the time ran out before the document loaded: it is destroyed once it has.
    loading.then((loaded) => loaded.destroy()).catch(() => undefined);
  }
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 200);
}
