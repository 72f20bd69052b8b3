import { describe, expect, it } from 'vitest';
import {
  diffMetadata,
  metadataFromRows,
  newRow,
  rowsFromMetadata,
  sameMetadata,
  validateMetadataRows,
} from './metadata-pairs';

describe('metadata rows', () => {
  it('round-trips metadata and leaves blank lines out', () => {
    const rows = [...rowsFromMetadata({ env: 'prod', tier: 'gold' }), newRow()];
    expect(metadataFromRows(rows)).toEqual({ env: 'prod', tier: 'gold' });
  });

  it('accepts pairs within the limits', () => {
    const rows = [newRow('k'.repeat(64), 'v'.repeat(512)), newRow('empty value', ''), newRow()];
    expect(validateMetadataRows(rows).valid).toBe(true);
  });

  it('refuses a key over 64 characters and a value over 512, saying by how much', () => {
    const longKey = newRow('k'.repeat(65), 'x');
    const longValue = newRow('note', 'v'.repeat(513));
    const problems = validateMetadataRows([longKey, longValue]);
    expect(problems.valid).toBe(false);
    expect(problems.rows[longKey.id]?.key).toBe('Keys are at most 64 characters; this one has 65.');
    expect(problems.rows[longValue.id]?.value).toBe('Values are at most 512 characters; this one has 513.');
  });

  it('refuses a value without a key and a key used twice', () => {
    const noKey = newRow('', 'orphan');
    const first = newRow('env', 'a');
    const second = newRow('env', 'b');
    const problems = validateMetadataRows([noKey, first, second]);
    expect(problems.rows[noKey.id]?.key).toBe('Enter a key for this value.');
    expect(problems.rows[second.id]?.key).toBe('The key “env” is used more than once.');
  });

  it('refuses a 17th pair', () => {
    const rows = Array.from({ length: 17 }, (_, index) => newRow(`key${index}`, 'v'));
    expect(validateMetadataRows(rows).form).toBe('At most 16 pairs are allowed; remove 1.');
    expect(validateMetadataRows(rows.slice(0, 16)).valid).toBe(true);
  });
});

describe('diffMetadata', () => {
  it('lists what is added, changed and removed', () => {
    expect(
      diffMetadata({ env: 'prod', old: 'x', same: 's' }, { env: 'staging', same: 's', added: 'y' }),
    ).toEqual([
      { kind: 'changed', key: 'env', before: 'prod', after: 'staging' },
      { kind: 'added', key: 'added', after: 'y' },
      { kind: 'removed', key: 'old', before: 'x' },
    ]);
    expect(sameMetadata({ a: '1' }, { a: '1' })).toBe(true);
    expect(sameMetadata({ a: '1' }, {})).toBe(false);
  });
});
