import { readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildDocx, buildPdf, buildPptx, DOCX_PARAGRAPHS, PDF_PAGES } from '../test-support/make-fixtures';
import { parseFile } from './parse-file';
import { FileParseError } from './parse-errors';

const fixture = (name: string) => readFileSync(new URL(`../test-support/fixtures/${name}`, import.meta.url));
const utf8 = (text: string) => new TextEncoder().encode(text);

async function refusal(promise: Promise<unknown>): Promise<FileParseError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FileParseError);
  return error as FileParseError;
}

describe('parseFile: documents through their libraries', () => {
  it('reads every page of a real PDF (unpdf)', async () => {
    const parsed = await parseFile(fixture('report.pdf'), 'report.pdf');
    expect(parsed).toMatchObject({ kind: 'pdf', pages: 2 });
    for (const line of PDF_PAGES.flat()) expect(parsed.text).toContain(line);
    expect(parsed.text.indexOf('Zephyr')).toBeLessThan(parsed.text.indexOf('turbine'));
  });

  it('reads the paragraphs of a real Word document (mammoth), entities decoded', async () => {
    const parsed = await parseFile(fixture('handbook.docx'), 'Handbook.DOCX');
    expect(parsed.kind).toBe('docx');
    expect(parsed.text.split('\n').filter(Boolean)).toEqual(DOCX_PARAGRAPHS);
  });

  it('reads the slides of a deck in slide order (slide 10 after slide 2)', async () => {
    const slides = Array.from({ length: 10 }, (_, index) => [
      `Slide ${index + 1} title`,
      `Point & detail ${index + 1}`,
    ]);
    const parsed = await parseFile(buildPptx(slides), 'deck.pptx');
    expect(parsed.pages).toBe(10);
    const titles = parsed.text.split('\n').filter((line) => line.endsWith('title'));
    expect(titles).toEqual(slides.map(([title]) => title));
    expect(parsed.text).toContain('Point & detail 10');
  });

  it('refuses a broken PDF as invalid_file', async () => {
    const error = await refusal(parseFile(fixture('report.pdf').subarray(0, 200), 'cut.pdf'));
    expect(error.code).toBe('invalid_file');
    expect(error.message).toMatch(/^The file could not be parsed as a PDF/);
  });
});

describe('parseFile: text kinds', () => {
  it('turns HTML into the text a reader sees', async () => {
    const html =
      '<html><head><title>Runbook</title><style>p{color:red}</style><script>var secret = 1;</script></head>' +
      '<body><h1>Restart&nbsp;the pump</h1><p>Press <b>stop</b> &amp; wait.</p><table><tr><td>a</td><td>b</td></tr></table></body></html>';
    const { text, kind } = await parseFile(utf8(html), 'runbook.html');
    expect(kind).toBe('html');
    expect(text).not.toMatch(/secret|color/);
    expect(text.split('\n').filter(Boolean)).toEqual([
      'Runbook',
      'Restart the pump',
      'Press stop & wait.',
      'a\tb',
    ]);
  });

  it.each([
    ['notes.md', '# Title\r\n\r\nBody text\r\n', 'markdown', '# Title\n\nBody text\n'],
    ['data.json', '{"a": [1, 2]}', 'json', '{"a": [1, 2]}'],
    ['main.py', 'def f():\n    return 1\n', 'code', 'def f():\n    return 1\n'],
    ['table.csv', 'name,score\nada,3\n', 'csv', 'name,score\nada,3\n'],
    ['paper.tex', '\\section{Intro}', 'text', '\\section{Intro}'],
  ])('reads %s as it is (line ends normalised)', async (name, content, kind, text) => {
    expect(await parseFile(utf8(content), name)).toEqual({ kind, text, pages: null });
  });

  it('reads UTF-16 text with its byte-order mark', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('héllo', 'utf16le')]);
    expect((await parseFile(bytes, 'a.txt')).text).toBe('héllo');
  });

  it('refuses text that is not UTF-8, and binary bytes named as text', async () => {
    expect((await refusal(parseFile(Uint8Array.from([0x68, 0xe9, 0x6c]), 'latin1.txt'))).message).toBe(
      'The file is not UTF-8 or UTF-16 text.',
    );
    expect((await refusal(parseFile(Uint8Array.from([0x7f, 0x45, 0, 0]), 'elf.txt'))).code).toBe(
      'invalid_file',
    );
  });
});

describe('parseFile: the supported types', () => {
  it("refuses a type not on OpenAI's list in OpenAI's wording", async () => {
    const error = await refusal(parseFile(utf8('x'), 'photo.PNG'));
    expect(error.code).toBe('unsupported_file');
    expect(error.message).toBe(
      'Files with extensions [.png] are not supported for retrieval. ' +
        'See https://platform.openai.com/docs/assistants/tools/file-search#supported-files',
    );
    expect((await refusal(parseFile(utf8('x'), 'README'))).message).toMatch(
      /^Files with extensions \[none\]/,
    );
  });

  it('goes by the MIME type when the name has no extension, by the extension when it has one', async () => {
    expect((await parseFile(utf8('# Hi'), 'README', { mimeType: 'text/markdown; charset=utf-8' })).kind).toBe(
      'markdown',
    );
    await refusal(parseFile(utf8('x'), 'notes.xyz', { mimeType: 'text/plain' }));
  });
});

describe('parseFile: bounds', () => {
  it('refuses a file over maxBytes before parsing it', async () => {
    const error = await refusal(parseFile(new Uint8Array(1001), 'big.txt', { limits: { maxBytes: 1000 } }));
    expect(error.message).toBe('The file is 1001 bytes, over the 1000 bytes file search parses.');
  });

  it.each([
    ['text', 'long.txt', utf8('word '.repeat(100))],
    ['HTML', 'long.html', utf8(`<p>${'word '.repeat(100)}</p>`)],
    [
      'PDF',
      'long.pdf',
      buildPdf([Array(12).fill('word word word word'), Array(12).fill('word word word word')]),
    ],
    ['PPTX', 'long.pptx', buildPptx([['word '.repeat(100)]])],
    ['DOCX', 'long.docx', buildDocx(Array(30).fill('word word word'))],
  ])('stops extracting %s past maxChars', async (_kind, name, bytes) => {
    const error = await refusal(parseFile(bytes, name, { limits: { maxChars: 300 } }));
    expect(error.message).toBe(
      "The file's text is longer than 300 characters, the most file search extracts from one file.",
    );
  });

  it('gives up on a PDF that takes longer than pdfTimeoutMs', async () => {
    const pages = Array.from({ length: 400 }, (_, index) => [`Page ${index} of a long document`]);
    const error = await refusal(parseFile(buildPdf(pages), 'slow.pdf', { limits: { pdfTimeoutMs: 5 } }));
    expect(error.message).toBe('The PDF could not be parsed within 5 ms.');
  });

  it('refuses an archive that would expand past maxExpandedBytes without inflating it', async () => {
    const bomb = zipSync({ 'word/document.xml': new Uint8Array(5_000_000), 'x.xml': strToU8('<a/>') });
    const error = await refusal(parseFile(bomb, 'bomb.docx', { limits: { maxExpandedBytes: 1_000_000 } }));
    expect(error.message).toMatch(/^The file expands to 5000004 bytes, over the 1000000 bytes/);
    await refusal(parseFile(bomb, 'bomb.pptx', { limits: { maxExpandedBytes: 1_000_000 } }));
  });
});
