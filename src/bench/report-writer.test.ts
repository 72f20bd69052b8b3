import { describe, expect, it } from 'vitest';
import type { BenchReport } from './report-writer';
import { renderMarkdown } from './report-writer';

const report: BenchReport = {
  generatedAt: '2026-11-22T07:00:00.000Z',
  machine: {
    cpus: 2,
    cpuModel: 'Test CPU',
    memoryGb: 8,
    node: 'v20.20.2',
    chromium: '156.0',
    platform: 'linux x64',
  },
  quick: false,
  totalSeconds: 300,
  groups: [
    {
      group: 'Polling',
      durationMs: 90_000,
      figures: [
        {
          group: 'Polling',
          name: 'idle thread: requests per minute',
          value: 16,
          unit: 'requests/min',
          target: { comparison: '<=', value: 6 },
          naive: { label: 'fixed 2 s polling of the full list', value: 300 },
          notes: 'Four queries poll | each on its own timer.',
        },
        {
          group: 'Polling',
          name: 'hidden tab',
          value: 0,
          unit: 'requests/min',
          target: { comparison: '<=', value: 0 },
        },
      ],
    },
    { group: 'Load', durationMs: 1_000, figures: [], error: 'The server exited with code 1' },
  ],
};

describe('renderMarkdown', () => {
  const markdown = renderMarkdown(report);

  it('counts the budgets met and names the missed ones', () => {
    expect(markdown).toContain(
      '**Budgets: 1 of 2 met.** Missed or not measured: Polling: idle thread: requests per minute.',
    );
  });

  it('puts each figure beside its target, the naive alternative with the ratio, the verdict and the notes', () => {
    expect(markdown).toContain(
      '| idle thread: requests per minute | 16 requests/min | ≤ 6 requests/min | 300 requests/min (fixed 2 s polling of the full list); ratio 18.75 | **MISSED** | **Notes:** Four queries poll \\| each on its own timer. |',
    );
    expect(markdown).toContain('| hidden tab | 0 requests/min | ≤ 0 requests/min | — | met |');
  });

  it('reports a group that failed instead of leaving it out', () => {
    expect(markdown).toContain('## Load');
    expect(markdown).toContain('**This group stopped with an error:** The server exited with code 1');
  });
});
