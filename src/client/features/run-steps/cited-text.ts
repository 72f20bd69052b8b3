import type { Message, TextAnnotation } from '../../../shared/openai-types';

/** A piece of a message's text: plain, or the marker of a citation of the source numbered `source`. */
export type TextPiece =
  { kind: 'text'; text: string } | { kind: 'citation'; source: number; fileId: string; marker: string };

/** A file the message cites, numbered in the order it is first cited (1, 2, …). */
export interface CitedSource {
  number: number;
  fileId: string;
}

/**
 * A message's text cut at its annotations: each `file_citation` (and `file_path`) becomes a numbered marker of its
 * file, the same number for every citation of one file. Annotations whose range is outside the text, empty, or
 * overlapping one before it are left as text, so a bad annotation never loses words.
 */
export function citedText(message: Pick<Message, 'content'>): {
  parts: TextPiece[][];
  sources: CitedSource[];
} {
  const sources: CitedSource[] = [];
  const numberOf = (fileId: string) => {
    let source = sources.find((known) => known.fileId === fileId);
    if (!source) sources.push((source = { number: sources.length + 1, fileId }));
    return source.number;
  };
  const parts = message.content.map(({ text }) => {
    const pieces: TextPiece[] = [];
    let at = 0;
    const annotations = [...text.annotations].sort((a, b) => a.start_index - b.start_index);
    for (const annotation of annotations) {
      const { start_index: start, end_index: end } = annotation;
      if (!(start >= at && end > start && end <= text.value.length)) continue;
      if (start > at) pieces.push({ kind: 'text', text: text.value.slice(at, start) });
      const fileId = citedFileId(annotation);
      pieces.push({
        kind: 'citation',
        source: numberOf(fileId),
        fileId,
        marker: text.value.slice(start, end),
      });
      at = end;
    }
    if (at < text.value.length) pieces.push({ kind: 'text', text: text.value.slice(at) });
    return pieces;
  });
  return { parts, sources };
}

function citedFileId(annotation: TextAnnotation): string {
  return annotation.type === 'file_citation'
    ? annotation.file_citation.file_id
    : annotation.file_path.file_id;
}
