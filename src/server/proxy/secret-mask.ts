/** Removes a secret (as sent, and URL-encoded) from text that may reach a browser or a log. */
export const MASKED_SECRET = '[redacted OPENAI_API_KEY]';

export function maskSecret(text: string, secret: string | null): string {
  if (!secret) return text;
  let masked = text.split(secret).join(MASKED_SECRET);
  const encoded = encodeURIComponent(secret);
  if (encoded !== secret) masked = masked.split(encoded).join(MASKED_SECRET);
  return masked;
}
