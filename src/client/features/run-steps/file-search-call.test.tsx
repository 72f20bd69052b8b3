// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { FileSearchToolCallDetails } from '../../../shared/openai-types';
import { FileSearchCall, formatScore } from './file-search-call';

afterEach(cleanup);

const call = (file_search: FileSearchToolCallDetails['file_search']): FileSearchToolCallDetails => ({
  id: 'call_1',
  type: 'file_search',
  file_search,
});

describe('FileSearchCall', () => {
  it("shows what the model searched for, the ranking, and each result's file (a link), score and text", () => {
    render(
      <ul>
        <FileSearchCall
          call={call({
            queries: ['refund delay', 'return window'],
            ranking_options: { ranker: 'auto', score_threshold: 0.5 },
            results: [
              {
                file_id: 'file-a',
                file_name: 'refunds.md',
                score: 0.91234,
                content: [{ type: 'text', text: 'Refunds take 5 days.' }],
              },
              { file_id: 'file-b', file_name: 'old.md', score: 0.5 },
            ],
          })}
        />
      </ul>,
    );
    const item = screen.getByRole('listitem', { name: 'Tool call file_search call_1' });
    expect(within(item).getByRole('list', { name: 'Queries of call_1' }).textContent).toBe(
      'refund delayreturn window',
    );
    expect(item.textContent).toContain('Ranking: ranker auto, score threshold 0.5');
    expect(item.textContent).toContain('2 results');
    const first = within(item).getByRole('listitem', { name: 'Result 1: refunds.md, score 0.912' });
    expect(within(first).getByRole('link', { name: 'refunds.md' }).getAttribute('href')).toBe(
      '/files?file=file-a',
    );
    expect(within(first).getByRole('blockquote').textContent).toBe('Refunds take 5 days.');
    // Without the content (the steps read without include[]), the result still says its file and score.
    const second = within(item).getByRole('listitem', { name: 'Result 2: old.md, score 0.500' });
    expect(within(second).queryByRole('blockquote')).toBeNull();
  });

  it('says when the call reported no result, or no results at all', () => {
    render(
      <ul>
        <FileSearchCall call={call({ results: [] })} />
      </ul>,
    );
    expect(screen.getByRole('listitem').textContent).toContain('No result');
    cleanup();
    render(
      <ul>
        <FileSearchCall call={call({})} />
      </ul>,
    );
    expect(screen.getByRole('listitem').textContent).toContain('Results not reported');
  });

  it('never shows a score above zero as zero', () => {
    expect(formatScore(7.5e-7)).toBe('< 0.001');
    expect(formatScore(0)).toBe('0.000');
    expect(formatScore(0.8731)).toBe('0.873');
  });
});
