/**
 * `npm run dev`: the API server (restarted on change by tsx watch) and Vite with hot reload in front of it.
 * Open the Vite URL; Vite forwards `/v1` and `/api` to the API server (see vite.config.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';

const apiPort = process.env.RUNBOARD_DEV_API_PORT ?? '3181';
const vitePort = process.env.PORT ?? '3180';
// Vite forwards the page's Origin (the Vite port), which the API server's cross-origin write check must accept.
const devOrigins = [
  process.env.RUNBOARD_ALLOWED_ORIGINS,
  `http://localhost:${vitePort}`,
  `http://127.0.0.1:${vitePort}`,
]
  .filter(Boolean)
  .join(',');
const children: ChildProcess[] = [
  spawn('npx', ['tsx', 'watch', '--clear-screen=false', 'src/server/main.ts', '--api-only'], {
    stdio: 'inherit',
    env: { ...process.env, PORT: apiPort, HOST: '127.0.0.1', RUNBOARD_ALLOWED_ORIGINS: devOrigins },
  }),
  spawn('npx', ['vite'], { stdio: 'inherit', env: { ...process.env, RUNBOARD_DEV_API_PORT: apiPort } }),
];

const stopAll = () => {
  for (const child of children) child.kill('SIGTERM');
};
for (const child of children) {
  child.on('exit', (code) => {
    stopAll();
    process.exitCode = code ?? 0;
  });
}
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);
