import { Hono } from 'hono';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditStore } from '../../audit/audit-store';
import { createApp } from '../../app';
import { loadConfig } from '../../config';
import { createLogger } from '../../../platform/logger';
import { queryParamError } from '../../query-api/query-param-error';

/**
 * The real app (perimeter, /api/config, dashboard) in front of a recording stand-in for the /v1 backend, so a test
 * can tell whether a refused request changed anything.
 */
export interface PerimeterApp {
  app: Hono;
  /** What reached the backend, e.g. `cancel run_1`. */
  backendCalls: string[];
  logLines: string[];
  /** Sets the port the server "listens" on, as start-server does after listen. */
  setListeningPort(port: number): void;
  cleanup(): void;
}

export function createPerimeterApp(env: Record<string, string> = {}, initialPort = 3180): PerimeterApp {
  const dashboardDir = mkdtempSync(join(tmpdir(), 'runboard-perimeter-'));
  mkdirSync(join(dashboardDir, 'assets'));
  writeFileSync(
    join(dashboardDir, 'index.html'),
    '<!doctype html><html><head><script type="module" src="/assets/index-abc.js"></script></head><body></body></html>',
  );
  writeFileSync(join(dashboardDir, 'assets', 'index-abc.js'), 'console.log("dashboard");');

  const backendCalls: string[] = [];
  const api = new Hono();
  api.get('/threads/:threadId/runs', (c) =>
    c.json({ object: 'list', data: [], first_id: null, last_id: null, has_more: false }),
  );
  api.post('/threads/:threadId/runs/:runId/cancel', (c) => {
    backendCalls.push(`cancel ${c.req.param('runId')}`);
    return c.json({ id: c.req.param('runId'), object: 'thread.run', status: 'cancelling' });
  });
  // Records its call before reading the body: an upload must reach it while still arriving.
  api.post('/files', async (c) => {
    backendCalls.push('file started');
    backendCalls.push(`file ${(await c.req.arrayBuffer()).byteLength}`);
    return c.json({ id: 'file-1', object: 'file' });
  });
  api.post('/threads/:threadId/messages', async (c) => {
    const body = await c.req.text();
    backendCalls.push(`message ${body.length}`);
    return c.json({ id: 'msg_1', object: 'thread.message' });
  });
  api.on(['PUT', 'PATCH', 'DELETE', 'OPTIONS'], '/threads/:threadId', (c) => {
    backendCalls.push(`${c.req.method} ${c.req.param('threadId')}`);
    return c.json({ id: c.req.param('threadId'), object: 'thread' });
  });
  // A backend that (wrongly) answers with CORS headers: the perimeter must strip them.
  api.get('/assistants', (c) => {
    c.header('access-control-allow-origin', '*');
    c.header('access-control-allow-credentials', 'true');
    return c.json({ object: 'list', data: [], first_id: null, last_id: null, has_more: false });
  });

  api.get('/files/:fileId/content', (c) => {
    backendCalls.push(`content ${c.req.param('fileId')}`);
    return c.body('the bytes', 200, { 'content-type': 'application/octet-stream' });
  });

  // A bug (the error names its input) and a refusal thrown as an answer: the server's error handler answers both.
  api.get('/threads/:threadId/broken', (c) => {
    throw new TypeError(`cannot read the thread ${c.req.param('threadId')}`);
  });
  api.get('/threads/:threadId/refused', () => {
    throw queryParamError('limit', 'expected an integer.');
  });

  // A response with immutable headers, as fetch() returns: the perimeter must still protect it.
  api.get('/threads/:threadId/elsewhere', () => Response.redirect('http://localhost:3180/', 302));

  const config = loadConfig({ RUNBOARD_DB: ':memory:', PORT: String(initialPort), ...env });
  const logLines: string[] = [];
  let listeningPort = initialPort;
  const app = createApp({
    config,
    logger: createLogger('debug', (line) => logLines.push(line), false),
    backend: {
      mode: 'emulator',
      api,
      admin: null,
      capabilities: { listThreads: true, emulatorAdmin: false },
      upstreamHost: null,
      executor: { kind: 'scripted', modelHost: null, concurrency: null },
    },
    dashboardDir,
    listeningPort: () => listeningPort,
    audit: openAuditStore(':memory:'),
  });
  return {
    app,
    backendCalls,
    logLines,
    setListeningPort: (port) => {
      listeningPort = port;
    },
    cleanup: () => rmSync(dashboardDir, { recursive: true, force: true }),
  };
}
