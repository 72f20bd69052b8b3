import type { APIRequestContext } from '@playwright/test';
import { expect } from '@playwright/test';

/** JSON calls to the real server as a user's code makes them; any answer but a 2xx fails the journey with its body. */
export function apiRequest(request: APIRequestContext) {
  const headers = { 'openai-beta': 'assistants=v2' };
  return {
    async post<T>(path: string, data: unknown): Promise<T> {
      const response = await request.post(path, { data, headers });
      expect(response.ok(), `${path} answered ${response.status()}: ${await response.text()}`).toBe(true);
      return (await response.json()) as T;
    },
    async get<T>(path: string): Promise<T> {
      const response = await request.get(path, { headers });
      expect(response.ok(), `${path} answered ${response.status()}`).toBe(true);
      return (await response.json()) as T;
    },
  };
}
