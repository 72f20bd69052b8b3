/**
 * The Runboard access token (RUNBOARD_TOKEN on the server), kept for the browser session only, and whether the
 * server has asked for it. Components subscribe with useSyncExternalStore (see `use-access-token.ts`).
 */
const STORAGE_KEY = 'runboard.token';

export interface AccessTokenState {
  token: string | null;
  /** The server answered 401 runboard_token_required: a token is needed (or the stored one is wrong). */
  prompt: boolean;
}

let state: AccessTokenState = { token: readStoredToken(), prompt: false };
const listeners = new Set<() => void>();

function readStoredToken(): string | null {
  try {
    return globalThis.sessionStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

function publish(next: AccessTokenState): void {
  if (next.token === state.token && next.prompt === state.prompt) return;
  state = next;
  for (const listener of listeners) listener();
}

export const accessToken = {
  get: (): string | null => state.token,
  snapshot: (): AccessTokenState => state,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  save(token: string): void {
    const trimmed = token.trim();
    try {
      globalThis.sessionStorage?.setItem(STORAGE_KEY, trimmed);
    } catch {
      // Storage can be disabled; the token then lasts until the page is closed.
    }
    publish({ token: trimmed, prompt: false });
  },
  forget(): void {
    try {
      globalThis.sessionStorage?.removeItem(STORAGE_KEY);
    } catch {
      // nothing stored
    }
    publish({ token: null, prompt: state.prompt });
  },
  requestPrompt(): void {
    publish({ ...state, prompt: true });
  },
};
