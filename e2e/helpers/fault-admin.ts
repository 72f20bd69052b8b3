import type { APIRequestContext } from '@playwright/test';
import { expect } from '@playwright/test';

/** Adds an emulator fault rule (see "Fault injection" in src/assistants-server/README.md); returns its id. */
export async function injectFault(
  request: APIRequestContext,
  rule: Record<string, unknown>,
): Promise<string> {
  const response = await request.post('/api/emulator/faults', { data: rule });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** Removes a fault rule. Already gone is fine: a journey may have failed half-way and clears it in `finally`. */
export async function clearFault(request: APIRequestContext, id: string): Promise<void> {
  const response = await request.delete(`/api/emulator/faults/${id}`);
  expect([200, 404]).toContain(response.status());
}

/** How many requests the rule has hit so far. */
export async function appliedCount(request: APIRequestContext, id: string): Promise<number | undefined> {
  const faults = (await (await request.get('/api/emulator/faults')).json()) as {
    rules: { id: string; applied: number }[];
  };
  return faults.rules.find((rule) => rule.id === id)?.applied;
}

/** OpenAI's answer when it is overloaded (a 503), as a fault's or a route's body. */
export const OVERLOADED = {
  error: {
    message: 'The engine is currently overloaded, please try again later.',
    type: 'server_error',
    param: null,
    code: null,
  },
};
