import { Parser } from 'htmlparser2';
import { TextCollector } from './text-collector';

/** Elements whose content is not text a reader sees. */
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'object']);
/** Elements that start a new line of text. */
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'title',
  'tr',
  'ul',
]);

/**
 * The text a reader of an HTML page sees: scripts and styles dropped, entities decoded, one line per block
 * element, table cells separated by a tab. Stops (throws) once the text passes `maxChars`.
 */
export function htmlToText(html: string, maxChars: number): string {
  const out = new TextCollector(maxChars);
  let skipDepth = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIPPED.has(name)) skipDepth++;
        else if (BLOCKS.has(name)) out.newline();
        else if (name === 'td' || name === 'th') out.append('\t');
      },
      onclosetag(name) {
        if (SKIPPED.has(name)) skipDepth = Math.max(0, skipDepth - 1);
        else if (BLOCKS.has(name)) out.newline();
      },
      ontext(text) {
        if (skipDepth === 0) out.append(text.replace(/\s+/g, ' '));
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.end(html);
  return out.text();
}
