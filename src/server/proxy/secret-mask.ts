/** Removes a secret (as sent, and URL-encoded) from text that may reach a browser or a log. */
export const MASKED_SECRET = '[redacted OPENAI_API_KEY]';

export function maskSecret(text: string, secret: string | null): string {
  if (!secret) return text;
  let masked = text.split(secret).join(MASKED_SECRET);
  const encoded = encodeURIComponent(secret);
  if (encoded !== secret) masked = masked.split(encoded).join(MASKED_SECRET);
  return masked;
}

/**
 * Masks a streamed body (server-sent events) line by line: a key holds no newline, so text is released up to each
 * newline and only an unfinished line waits for the next chunk, which delays no complete event.
 */
export function maskSecretInStream(secret: string | null): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let unfinishedLine = '';
  return new TransformStream({
    transform(chunk, controller) {
      const text = unfinishedLine + decoder.decode(chunk, { stream: true });
      const lastNewline = text.lastIndexOf('\n');
      unfinishedLine = text.slice(lastNewline + 1);
      if (lastNewline >= 0)
        controller.enqueue(encoder.encode(maskSecret(text.slice(0, lastNewline + 1), secret)));
    },
    flush(controller) {
      const rest = unfinishedLine + decoder.decode();
      if (rest) controller.enqueue(encoder.encode(maskSecret(rest, secret)));
    },
  });
}
