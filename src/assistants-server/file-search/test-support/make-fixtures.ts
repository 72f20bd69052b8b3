/**
 * Writes the small real documents the parse tests read (`npx tsx src/assistants-server/file-search/test-support/
 * make-fixtures.ts`): a two-page PDF (Helvetica text, a correct cross-reference table) and a Word document. The
 * files are committed beside this script; run it again only to change them.
 */
import { writeFileSync } from 'node:fs';
import { zipSync, strToU8 } from 'fflate';

export const PDF_PAGES = [
  ['Quarterly report of the Zephyr project', 'Revenue grew by twelve percent in the third quarter.'],
  ['Appendix: the turbine maintenance schedule', 'Turbines are inspected every ninety days.'],
];

export const DOCX_PARAGRAPHS = [
  'Onboarding handbook',
  'Every new engineer receives a hardware token on the first day.',
  'Holidays are requested through the people portal & approved by a lead.',
];

function pdfEscape(text: string): string {
  return text.replace(/[\\()]/g, (char) => `\\${char}`);
}

export function buildPdf(pages: string[][]): Buffer {
  const objects: string[] = [];
  const pageIds: number[] = [];
  const fontId = 3 + pages.length * 2;
  pages.forEach((lines, index) => {
    const pageId = 3 + index * 2;
    pageIds.push(pageId);
    const stream = `BT /F1 12 Tf 72 720 Td ${lines.map((line) => `(${pdfEscape(line)}) Tj 0 -18 Td`).join(' ')} ET`;
    objects[pageId] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${pageId + 1} 0 R ` +
      `/Resources << /Font << /F1 ${fontId} 0 R >> >> >>`;
    objects[pageId + 1] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  });
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`;
  objects[fontId] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = Buffer.byteLength(body);
    body += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xrefAt = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) body += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function buildDocx(paragraphs: string[]): Uint8Array {
  const body = paragraphs.map(
    (text) => `<w:p><w:r><w:t xml:space="preserve">${xmlEscape(text)}</w:t></w:r></w:p>`,
  );
  return zipSync({
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ),
    '_rels/.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    ),
    'word/document.xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
        `<w:body>${body.join('')}</w:body></w:document>`,
    ),
  });
}

/** A deck as the parser reads one: slide parts with DrawingML text runs (enough for text, not for PowerPoint). */
export function buildPptx(slides: string[][], extra: Record<string, Uint8Array> = {}): Uint8Array {
  const parts: Record<string, Uint8Array> = { ...extra };
  slides.forEach((paragraphs, index) => {
    const runs = paragraphs.map((text) => `<a:p><a:r><a:t>${xmlEscape(text)}</a:t></a:r></a:p>`).join('');
    parts[`ppt/slides/slide${index + 1}.xml`] = strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ' +
        `xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody>${runs}` +
        '</p:txBody></p:sp></p:spTree></p:cSld></p:sld>',
    );
  });
  return zipSync(parts);
}

if (process.argv[1]?.endsWith('make-fixtures.ts')) {
  const folder = new URL('./fixtures/', import.meta.url);
  writeFileSync(new URL('report.pdf', folder), buildPdf(PDF_PAGES));
  writeFileSync(new URL('handbook.docx', folder), buildDocx(DOCX_PARAGRAPHS));
}
