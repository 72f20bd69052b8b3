/** Reading untrusted request input, shared by /v1 (the emulator) and /api (the server). */

/** The most of a refused value an error message quotes back. */
export const MAX_QUOTED_INPUT = 100;

/**
 * A query parameter as a non-negative integer: decimal digits only (no sign, space, `0x10`, `1e2` or `5.0`, which
 * `Number()` would take), and exact (a safe integer). Null when it is anything else.
 */
export function decimalInteger(raw: string): number | null {
  if (!/^\d{1,16}$/.test(raw)) return null;
  const value = Number(raw);
  return Number.isSafeInteger(value) ? value : null;
}

/** A piece of input short enough to quote in a refusal: the first MAX_QUOTED_INPUT characters, then an ellipsis. */
export function excerpt(value: string, max = MAX_QUOTED_INPUT): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

/**
 * The first control character of `value` (C0, NUL included, or DEL) as `U+0000`, or null when there is none.
 * With `allowLineBreaks`, tab, line feed and carriage return are not counted.
 */
export function controlCharacter(value: string, allowLineBreaks = false): string | null {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code >= 0x20 && code !== 0x7f) continue;
    if (allowLineBreaks && (code === 0x09 || code === 0x0a || code === 0x0d)) continue;
    return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return null;
}
