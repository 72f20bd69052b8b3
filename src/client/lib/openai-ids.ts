/** OpenAI ids are a type prefix, an underscore and letters/digits (`thread_abc123`). */
const ID_BODY = /^[A-Za-z0-9_-]+$/;

export function isThreadId(value: string): boolean {
  return (
    value.startsWith('thread_') &&
    value.length > 'thread_'.length &&
    ID_BODY.test(value) &&
    value.length <= 64
  );
}

export function isRunId(value: string): boolean {
  return (
    value.startsWith('run_') && value.length > 'run_'.length && ID_BODY.test(value) && value.length <= 64
  );
}

/** Why a typed thread id is refused, or null when it is acceptable. */
export function threadIdProblem(raw: string): string | null {
  const value = raw.trim();
  if (!value) return 'Enter a thread id.';
  if (!value.startsWith('thread_')) return "A thread id begins with 'thread_'.";
  if (!isThreadId(value)) return 'A thread id contains only letters, digits, - and _ after the prefix.';
  return null;
}
