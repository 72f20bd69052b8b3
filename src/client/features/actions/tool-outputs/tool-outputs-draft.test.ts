// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import type { RunToolCall } from '../../../../shared/openai-types';
import {
  callsWithoutOutput,
  discardDraft,
  jsonHint,
  markSubmitted,
  readDraft,
  saveDraft,
  toToolOutputs,
  wasSubmittedHere,
} from './tool-outputs-draft';
import { describeRunChange } from './run-change-notice';

const calls: RunToolCall[] = [
  { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Berlin"}' } },
  { id: 'call_b', type: 'function', function: { name: 'lookup_order', arguments: '{}' } },
];

afterEach(() => sessionStorage.clear());

describe('tool outputs draft', () => {
  it('is kept per run in sessionStorage and read back', () => {
    saveDraft({ runId: 'run_1', calls, outputs: { call_a: '{"temp": 21}' } });
    expect(readDraft('run_1')).toEqual({ runId: 'run_1', calls, outputs: { call_a: '{"temp": 21}' } });
    expect(readDraft('run_2')).toBeNull();
  });

  it('leaves nothing behind for an untouched form', () => {
    saveDraft({ runId: 'run_1', calls, outputs: { call_a: 'x' } });
    saveDraft({ runId: 'run_1', calls, outputs: { call_a: '' } });
    expect(readDraft('run_1')).toBeNull();
  });

  it('ignores a stored value that is not a draft of this run', () => {
    sessionStorage.setItem('runboard.toolOutputs.draft.run_1', '{"runId":"run_9","calls":[],"outputs":{}}');
    expect(readDraft('run_1')).toBeNull();
    sessionStorage.setItem('runboard.toolOutputs.draft.run_1', 'not json');
    expect(readDraft('run_1')).toBeNull();
  });

  it('is cleared by a successful submit, which is remembered', () => {
    saveDraft({ runId: 'run_1', calls, outputs: { call_a: 'x', call_b: 'y' } });
    markSubmitted('run_1');
    expect(readDraft('run_1')).toBeNull();
    expect(wasSubmittedHere('run_1')).toBe(true);
    expect(wasSubmittedHere('run_2')).toBe(false);
    discardDraft('run_1');
  });
});

describe('submitting', () => {
  it('waits for an output on every call, then sends them all in call order', () => {
    expect(callsWithoutOutput(calls, { call_b: 'done' }).map((call) => call.id)).toEqual(['call_a']);
    expect(callsWithoutOutput(calls, { call_a: '1', call_b: '2' })).toEqual([]);
    expect(toToolOutputs(calls, { call_b: '2', call_a: '1' })).toEqual([
      { tool_call_id: 'call_a', output: '1' },
      { tool_call_id: 'call_b', output: '2' },
    ]);
  });

  it('hints when an output is not JSON, without refusing it', () => {
    expect(jsonHint('{"ok": true}')).toBeNull();
    expect(jsonHint('  42 ')).toBeNull();
    expect(jsonHint('')).toBeNull();
    expect(jsonHint('sunny, 21 °C')).toBe('Not valid JSON: it will be sent as plain text.');
  });
});

describe('describeRunChange', () => {
  it('says what happened to a run that stopped waiting', () => {
    expect(describeRunChange({ status: 'requires_action' })).toBeNull();
    expect(describeRunChange({ status: 'expired' })).toMatch(/^The run expired/);
    expect(describeRunChange({ status: 'cancelled' })).toMatch(/^The run was cancelled/);
    expect(describeRunChange({ status: 'in_progress' })).toBe(
      'The run received its tool outputs from elsewhere and moved on (now: In progress). These outputs were not sent.',
    );
  });
});
