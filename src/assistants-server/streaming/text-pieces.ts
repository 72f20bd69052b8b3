/** The longest piece a delta carries when a text grew by more at once (a scripted reply is written whole). */
export const MAX_PIECE_LENGTH = 24;

/**
 * Cuts `text` into pieces that join back into it exactly: each piece ends after a word (leading whitespace
 * included), and a run of characters without whitespace (JSON arguments, a long URL) is cut every `maxLength`.
 * A growth shorter than one piece (a model writing token by token) stays one piece.
 */
export function textPieces(text: string, maxLength = MAX_PIECE_LENGTH): string[] {
  if (text.length <= maxLength) return text ? [text] : [];
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = start;
    while (end < text.length && end - start < maxLength && /\s/.test(text[end]!)) end++;
    while (end < text.length && end - start < maxLength && !/\s/.test(text[end]!)) end++;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}
