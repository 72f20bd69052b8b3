/**
 * Removes the model key from text that came from the upstream (an error message that echoes it, as OpenAI's 401
 * does in part) before it is stored, answered or logged.
 */
export function maskSecret(text: string, secret: string | null): string {
  if (!secret) return text;
  let masked = text.split(secret).join('***');
  // OpenAI echoes a key as its first and last characters around an ellipsis: drop the recognisable tail too.
  // The prefix is bounded: `\S*` backtracked over every position of a long word (64 KiB: 3.5 s of blocked loop).
  const tail = secret.slice(-4);
  if (secret.length >= 12 && tail)
    masked = masked.replace(new RegExp(`\\S{0,64}\\*+${escape(tail)}`, 'g'), '***');
  return masked;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
