import type { RunStatus } from '../../shared/openai-types';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ACTIVE_POLL_MS,
  IDLE_POLL_MS,
  MAX_POLL_MS,
  MIN_POLL_MS,
  documentHidden,
  parsePollAfterHeader,
  pollInterval,
  runPollInterval,
} from './polling-policy';

const inView = (...statuses: RunStatus[]) => statuses.map((status) => ({ status }));
describe('pollInterval', () => {
  it('polls about once a second while any run in view is active', () => {
    expect(
      pollInterval({ runs: inView('completed', 'in_progress'), pollAfterMs: null, documentHidden: false }),
    ).toBe(ACTIVE_POLL_MS);
    expect(pollInterval({ runs: inView('cancelling'), pollAfterMs: null, documentHidden: false })).toBe(
      ACTIVE_POLL_MS,
    );
    expect(pollInterval({ runs: inView('requires_action'), pollAfterMs: null, documentHidden: false })).toBe(
      ACTIVE_POLL_MS,
    );
  });

  it('polls slowly when nothing in view can change, or when nothing is in view', () => {
    expect(
      pollInterval({
        runs: inView('completed', 'failed', 'expired'),
        pollAfterMs: null,
        documentHidden: false,
      }),
    ).toBe(IDLE_POLL_MS);
    expect(pollInterval({ runs: inView(), pollAfterMs: null, documentHidden: false })).toBe(IDLE_POLL_MS);
    expect(IDLE_POLL_MS).toBeGreaterThanOrEqual(10_000);
    expect(IDLE_POLL_MS).toBeLessThanOrEqual(15_000);
  });

  it('does not poll in a hidden tab', () => {
    expect(pollInterval({ runs: inView('in_progress'), pollAfterMs: 500, documentHidden: true })).toBe(false);
    expect(pollInterval({ runs: inView('completed'), pollAfterMs: null, documentHidden: true })).toBe(false);
  });

  it("honours the server's openai-poll-after-ms while active, within bounds", () => {
    expect(pollInterval({ runs: inView('queued'), pollAfterMs: 2_500, documentHidden: false })).toBe(2_500);
    expect(pollInterval({ runs: inView('queued'), pollAfterMs: 5, documentHidden: false })).toBe(MIN_POLL_MS);
    expect(pollInterval({ runs: inView('queued'), pollAfterMs: 600_000, documentHidden: false })).toBe(
      MAX_POLL_MS,
    );
  });

  it('ignores the hint once nothing is active', () => {
    expect(pollInterval({ runs: inView('completed'), pollAfterMs: 500, documentHidden: false })).toBe(
      IDLE_POLL_MS,
    );
  });
});

describe('runPollInterval', () => {
  it('stops polling a single run once it is terminal', () => {
    expect(runPollInterval('completed', null, false)).toBe(false);
    expect(runPollInterval('in_progress', null, false)).toBe(ACTIVE_POLL_MS);
    expect(runPollInterval(undefined, null, false)).toBe(false);
  });
});

describe('parsePollAfterHeader', () => {
  it('reads positive numbers and refuses the rest', () => {
    expect(parsePollAfterHeader('1000')).toBe(1000);
    expect(parsePollAfterHeader(' 250 ')).toBe(250);
    expect(parsePollAfterHeader(null)).toBeNull();
    expect(parsePollAfterHeader('soon')).toBeNull();
    expect(parsePollAfterHeader('-1')).toBeNull();
    expect(parsePollAfterHeader('0')).toBeNull();
  });
});

describe('documentHidden', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is true only while the tab is hidden', () => {
    vi.stubGlobal('document', { visibilityState: 'hidden' });
    expect(documentHidden()).toBe(true);
    vi.stubGlobal('document', { visibilityState: 'visible' });
    expect(documentHidden()).toBe(false);
  });

  it('is false outside a browser', () => {
    vi.stubGlobal('document', undefined);
    expect(documentHidden()).toBe(false);
  });
});
