import { describe, expect, it } from 'vitest';
import type { FileCitationAnnotation } from '../../../shared/openai-types';
import { citedText } from './cited-text';

const cite = (fileId: string, text: string, value: string): FileCitationAnnotation => {
  const start = value.indexOf(text);
  return {
    type: 'file_citation',
    text,
    file_citation: { file_id: fileId },
    start_index: start,
    end_index: start + text.length,
  };
};
const message = (value: string, annotations: FileCitationAnnotation[]) => ({
  content: [{ type: 'text' as const, text: { value, annotations } }],
});

describe('citedText', () => {
  it('cuts the text at each citation and numbers the cited files in the order they are first cited', () => {
    const value = 'Refunds take 5 days【4:0†a.md】 and need a receipt【4:1†b.md】, as said【4:2†a.md】.';
    const { parts, sources } = citedText(
      message(value, [
        cite('file-b', '【4:1†b.md】', value),
        cite('file-a', '【4:0†a.md】', value),
        cite('file-a', '【4:2†a.md】', value),
      ]),
    );
    expect(sources).toEqual([
      { number: 1, fileId: 'file-a' },
      { number: 2, fileId: 'file-b' },
    ]);
    expect(parts[0]).toEqual([
      { kind: 'text', text: 'Refunds take 5 days' },
      { kind: 'citation', source: 1, fileId: 'file-a', marker: '【4:0†a.md】' },
      { kind: 'text', text: ' and need a receipt' },
      { kind: 'citation', source: 2, fileId: 'file-b', marker: '【4:1†b.md】' },
      { kind: 'text', text: ', as said' },
      { kind: 'citation', source: 1, fileId: 'file-a', marker: '【4:2†a.md】' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('keeps the words of an annotation outside the text, empty or overlapping another', () => {
    const value = 'Short text';
    const outside = { ...cite('file-a', 'text', value), end_index: 99 };
    const empty = { ...cite('file-b', 'text', value), end_index: 6 };
    const first = cite('file-c', 'Short', value);
    const overlapping = { ...cite('file-d', 'Short', value), start_index: 2 };
    const { parts, sources } = citedText(message(value, [outside, empty, first, overlapping]));
    expect(sources).toEqual([{ number: 1, fileId: 'file-c' }]);
    expect(parts[0]!.map((piece) => (piece.kind === 'text' ? piece.text : piece.marker)).join('')).toBe(
      value,
    );
  });

  it('gives a message without annotations its text whole', () => {
    expect(citedText(message('Hello', [])).parts).toEqual([[{ kind: 'text', text: 'Hello' }]]);
  });
});
