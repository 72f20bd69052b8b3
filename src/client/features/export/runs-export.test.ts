import { describe, expect, it } from 'vitest';
import type { Run } from '../../../shared/openai-types';
import { curlCommand, runCurlActions } from './curl-command';
import { RUN_COLUMNS } from '../../lib/run-columns';
import { EXPORT_COLUMNS } from './export-columns';
import { csvCell, runsToCsv, runsToJson } from './runs-export';

const run = (id: string, createdAt: number, extra: Partial<Run> = {}): Run =>
  ({
    id,
    thread_id: 'thread_1',
    assistant_id: 'asst_1',
    status: 'completed',
    model: 'gpt-4o',
    created_at: createdAt,
    started_at: createdAt,
    completed_at: createdAt + 5,
    usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
    metadata: {},
    last_error: null,
    incomplete_details: null,
    required_action: null,
    ...extra,
  }) as Run;

describe('runs export', () => {
  it('writes the shown columns as CSV, quoting commas, quotes and formula starts', () => {
    const csv = runsToCsv(
      [run('run_a', 0, { metadata: { note: 'a, "b"' } }), run('run_b', 60, { model: '=cmd' })],
      { thread: false, duration: false, outcome: false },
      (id) => (id === 'asst_1' ? 'Helper' : null),
    );
    expect(csv.split('\r\n')).toEqual([
      'status,id,assistant,model,created_at,total_tokens,metadata',
      'completed,run_a,Helper,gpt-4o,1970-01-01T00:00:00.000Z,3,"{""note"":""a, \\""b\\""""}"',
      "completed,run_b,Helper,'=cmd,1970-01-01T00:01:00.000Z,3,",
      '',
    ]);
  });

  it("exports JSON that parses back to the runs, in the order given (the table's)", () => {
    const runs = [run('run_b', 30), run('run_c', 20), run('run_a', 10)];
    expect(JSON.parse(runsToJson(runs))).toEqual(runs);
  });

  it("has what to write for every column of the table, in the table's order", () => {
    expect(Object.keys(EXPORT_COLUMNS)).toEqual(RUN_COLUMNS.map((column) => column.id));
  });

  it('leaves empty values empty', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(-1)).toBe('-1');
  });
});

describe('copy as cURL', () => {
  it('never writes the token out, and quotes the body for a shell', () => {
    const command = curlCommand(
      'http://127.0.0.1:3180',
      'POST',
      '/v1/threads/t/runs/r',
      { metadata: { who: "O'Neil" } },
      true,
    );
    expect(command).toContain(`-H "x-runboard-token: $RUNBOARD_TOKEN"`);
    expect(command).toContain(`-d '{"metadata":{"who":"O'\\''Neil"}}'`);
  });

  it('offers submit with one output per call only while the run waits, and cancel only while it can be cancelled', () => {
    const waiting = run('run_w', 0, {
      status: 'requires_action',
      required_action: {
        type: 'submit_tool_outputs',
        submit_tool_outputs: {
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
          ],
        },
      },
    });
    const labels = runCurlActions(waiting, 'http://x', false).map((action) => action.label);
    expect(labels).toContain('Submit tool outputs');
    expect(labels).toContain('Cancel');
    const submit = runCurlActions(waiting, 'http://x', false).find(
      (action) => action.label === 'Submit tool outputs',
    )!;
    expect(submit.command).toContain('"tool_call_id":"call_1"');
    const done = runCurlActions(run('run_d', 0), 'http://x', false).map((action) => action.label);
    expect(done).not.toContain('Submit tool outputs');
    expect(done).not.toContain('Cancel');
  });
});
