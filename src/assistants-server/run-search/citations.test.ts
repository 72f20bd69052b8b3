import { describe, expect, it } from 'vitest';
import type { FileSearchToolCallDetails } from '../../shared/openai-types';
import {
  citationMarker,
  fileCitations,
  INVALID_SEARCH_ARGUMENTS,
  MAX_CITATIONS,
  NO_RESULTS,
  resultsForModel,
} from './citations';

function call(files: Array<[string, string]>, queries = ['refunds']): FileSearchToolCallDetails {
  return {
    id: 'call_1',
    type: 'file_search',
    file_search: {
      ranking_options: { ranker: 'default_2024_08_21', score_threshold: 0 },
      queries,
      results: files.map(([file_id, file_name], index) => ({
        file_id,
        file_name,
        score: 1 - index / 10,
        content: [{ type: 'text' as const, text: `${file_name} says ${'x'.repeat(50)}` }],
      })),
    },
  };
}

describe('file citations', () => {
  it('annotates each marker that names a result, with the marker as text and its place in UTF-16 units', () => {
    const calls = [
      call([['file-a', 'a.md']]),
      call([
        ['file-b', 'b.md'],
        ['file-c', 'c.md'],
      ]),
    ];
    const text = `Émoji 🎉 first ${citationMarker(0, 0, 'a.md')}. Then ${citationMarker(1, 1, 'c.md')} and 【1:0】.`;
    const annotations = fileCitations(text, calls);
    expect(annotations.map((annotation) => annotation.file_citation.file_id)).toEqual([
      'file-a',
      'file-c',
      'file-b',
    ]);
    for (const annotation of annotations) {
      expect(text.slice(annotation.start_index, annotation.end_index)).toBe(annotation.text);
      expect(annotation.type).toBe('file_citation');
    }
  });

  it('leaves markers that name nothing as plain text, and bounds how many it annotates', () => {
    const calls = [call([['file-a', 'a.md']])];
    expect(fileCitations('Made up 【0:7†a.md】 and 【3:0†x】 and 【0:0 broken', calls)).toEqual([]);
    expect(fileCitations('No search 【0:0†a.md】', [])).toEqual([]);
    const many = '【0:0†a.md】'.repeat(MAX_CITATIONS + 50);
    expect(fileCitations(many, calls)).toHaveLength(MAX_CITATIONS);
  });

  it('keeps a file name from breaking its marker', () => {
    expect(citationMarker(2, 3, 'odd】name\n.md')).toBe('【2:3†odd name .md】');
    expect(citationMarker(0, 0, 'n'.repeat(500)).length).toBeLessThan(150);
  });
});

describe('results as the model reads them', () => {
  it('gives each result its marker, score and text', () => {
    const text = resultsForModel(
      1,
      call([
        ['file-a', 'a.md'],
        ['file-b', 'b.md'],
      ]),
    );
    expect(text).toContain('【1:0†a.md】 (score 1.00)\na.md says');
    expect(text).toContain('【1:1†b.md】 (score 0.90)\nb.md says');
  });

  it('is bounded: results past the bound are left out and the cut is said', () => {
    const results = Array.from({ length: 50 }, (_, index): [string, string] => [
      `file-${index}`,
      `f${index}.md`,
    ]);
    const text = resultsForModel(0, call(results), 1_000);
    expect(text.length).toBeLessThanOrEqual(1_000);
    expect(text).toContain('【0:0†f0.md】');
    expect(text).not.toContain('【0:49†f49.md】');
    expect(text).toContain('left out');
  });

  it('says when nothing matched, and how to call the tool when the arguments were wrong', () => {
    expect(resultsForModel(0, call([]))).toBe(NO_RESULTS);
    expect(resultsForModel(0, call([['file-a', 'a.md']], []))).toBe(INVALID_SEARCH_ARGUMENTS);
  });
});
