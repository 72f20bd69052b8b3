/** Paths whose answers are data or actions (`/api`, `/v1`); the dashboard's page and assets are public code. */
export function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/') || path === '/v1' || path.startsWith('/v1/');
}
