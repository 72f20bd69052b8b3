import { useCallback, useSyncExternalStore } from 'react';

/**
 * A JSON value kept in localStorage, shared by every component that reads the same key and kept in sync across
 * tabs. `fallback` must be a stable (module-level) value.
 */
export function useLocalStorage<T>(key: string, fallback: T, isValid: (value: unknown) => value is T) {
  const read = useCallback(() => readRaw(key), [key]);
  const raw = useSyncExternalStore(subscribe, read, () => null);
  const value = parse(raw, fallback, isValid);
  const write = useCallback(
    (next: T | ((previous: T) => T)) => {
      const previous = parse(readRaw(key), fallback, isValid);
      const resolved = typeof next === 'function' ? (next as (previous: T) => T)(previous) : next;
      try {
        window.localStorage.setItem(key, JSON.stringify(resolved));
      } catch {
        // Storage full or disabled: the value lasts for this page only.
        memory.set(key, JSON.stringify(resolved));
      }
      for (const listener of listeners) listener();
    },
    [key, fallback, isValid],
  );
  return [value, write] as const;
}

const listeners = new Set<() => void>();
const memory = new Map<string, string>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('storage', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', listener);
  };
}

function readRaw(key: string): string | null {
  try {
    return window.localStorage.getItem(key) ?? memory.get(key) ?? null;
  } catch {
    return memory.get(key) ?? null;
  }
}

const parsedCache = new Map<string, unknown>();
function parse<T>(raw: string | null, fallback: T, isValid: (value: unknown) => value is T): T {
  if (raw === null) return fallback;
  if (parsedCache.has(raw)) {
    const cached = parsedCache.get(raw);
    return isValid(cached) ? cached : fallback;
  }
  try {
    const value: unknown = JSON.parse(raw);
    parsedCache.set(raw, value);
    return isValid(value) ? value : fallback;
  } catch {
    return fallback;
  }
}
