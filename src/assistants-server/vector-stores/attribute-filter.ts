import type { AttributeFilter, VectorStoreFileAttributes } from '../../shared/openai-types';

/**
 * Whether a vector store file's `attributes` pass a search's `filters` (ComparisonFilter / CompoundFilter):
 * `eq`/`ne` compare values exactly, `gt`/`gte`/`lt`/`lte` numbers with numbers and strings with strings (another
 * pairing does not match), `in`/`nin` look the value up in the filter's list. A missing attribute matches only `ne`
 * and `nin`.
 */
export function matchesFilter(
  attributes: VectorStoreFileAttributes | null,
  filter: AttributeFilter,
): boolean {
  if ('filters' in filter) {
    const matches = (inner: AttributeFilter) => matchesFilter(attributes, inner);
    return filter.type === 'and' ? filter.filters.every(matches) : filter.filters.some(matches);
  }
  const actual = attributes?.[filter.key];
  const expected = filter.value;
  switch (filter.type) {
    case 'eq':
      return actual === expected;
    case 'ne':
      return actual !== expected;
    case 'in':
      return (
        Array.isArray(expected) &&
        actual !== undefined &&
        typeof actual !== 'boolean' &&
        expected.includes(actual)
      );
    case 'nin':
      return !(
        Array.isArray(expected) &&
        actual !== undefined &&
        typeof actual !== 'boolean' &&
        expected.includes(actual)
      );
    default:
      return ordered(actual, expected, filter.type);
  }
}

function ordered(actual: unknown, expected: unknown, type: 'gt' | 'gte' | 'lt' | 'lte'): boolean {
  const comparable =
    (typeof actual === 'number' && typeof expected === 'number') ||
    (typeof actual === 'string' && typeof expected === 'string');
  if (!comparable) return false;
  const [a, b] = [actual, expected] as [number | string, number | string];
  if (type === 'gt') return a > b;
  if (type === 'gte') return a >= b;
  if (type === 'lt') return a < b;
  return a <= b;
}
