/** What the proxy writes where the server's key was, so a reader sees that something was removed and what. */
export const MASKED_SECRET = '[redacted OPENAI_API_KEY]';

/**
 * Removes a key from text that may reach a browser, a log or the database: as sent, URL-encoded, and the
 * recognisable tail OpenAI echoes in its 401s (`sk-tes***1234`), each replaced by `replacement`.
 */
export function maskSecret(text: string, secret: string | null, replacement = '***'): string {
  if (!secret) return text;
  let masked = text.split(secret).join(replacement);
  const encoded = encodeURIComponent(secret);
  if (encoded !== secret) masked = masked.split(encoded).join(replacement);
  // The prefix is bounded: `\S*` backtracked over every position of a long word (64 KiB: 3.5 s of blocked loop).
  const tail = secret.slice(-4);
  if (secret.length >= 12 && tail)
    masked = masked.replace(new RegExp(`\\S{0,64}\\*+${escape(tail)}`, 'g'), replacement);
  return masked;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
