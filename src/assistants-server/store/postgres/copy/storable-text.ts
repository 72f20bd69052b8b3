/**
 * PostgreSQL cannot hold U+0000 in text, nor `\u0000` in jsonb, where SQLite holds both. Such a value is stored with
 * U+FFFD (the replacement character) in its place, and counted: the one change the copy makes to the data.
 */
export interface Storable {
  value: string;
  replaced: boolean;
}

/** `\u0000` escapes in JSON text, not preceded by an odd number of backslashes (which would make it literal text). */
const ESCAPED_NUL = /(?<!\\)((?:\\\\)*)\\u0000/g;

export function storableText(text: string): Storable {
  return text.includes('\u0000')
    ? { value: text.replaceAll('\u0000', '\uFFFD'), replaced: true }
    : { value: text, replaced: false };
}

/** JSON text made storable as jsonb, or null when it is not JSON. */
export function storableJson(text: string): Storable | null {
  try {
    JSON.parse(text);
  } catch {
    return null;
  }
  const raw = storableText(text);
  const value = raw.value.replace(ESCAPED_NUL, '$1\\ufffd');
  return { value, replaced: raw.replaced || value !== raw.value };
}

/**
 * JSON written by `JSON.stringify` made storable as jsonb, without parsing it again: U+0000 only ever appears in it
 * as the escape `\u0000`, which becomes `\ufffd`.
 */
export function storableJsonText(json: string): string {
  return json.includes('\\u0000') ? json.replace(ESCAPED_NUL, '$1\\ufffd') : json;
}
