import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';

/** In `npm run dev` the API server listens here and Vite forwards `/v1` and `/api` to it. */
const devApiPort = Number(process.env.RUNBOARD_DEV_API_PORT ?? 3181);

export default defineConfig({
  root: '.',
  publicDir: 'public',
  plugins: [react(), tailwindcss()],
  build: {
    outDir: 'dist/client',
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      output: {
        advancedChunks: {
          groups: [
            { name: 'vendor', test: /node_modules/ },
            // Shared by the first screen and the dialogs loaded on demand: one chunk rather than a chunk each, which
            // the splitter otherwise makes (every extra chunk costs the initial bundle its wrapper and compresses worse).
            {
              name: 'run-queries',
              test: /src\/client\/(api\/run-(queries|keys)|lib\/run-vocabulary|ui\/cx)\.ts$/,
            },
          ],
        },
      },
    },
  },
  server: {
    port: Number(process.env.PORT ?? 3180),
    strictPort: true,
    proxy: {
      '/v1': `http://127.0.0.1:${devApiPort}`,
      '/api': `http://127.0.0.1:${devApiPort}`,
    },
  },
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 20_000,
    // Setup reads OpenAI's spec (5 MB of YAML) or starts servers: under a loaded CI machine it outlasts the default 10 s.
    hookTimeout: 60_000,
    globalSetup: ['src/assistants-server/test-support/spec-notice.ts'],
  },
});
