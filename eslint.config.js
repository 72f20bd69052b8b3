import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import pluginQuery from '@tanstack/eslint-plugin-query';
import boundaries from 'eslint-plugin-boundaries';
import globals from 'globals';

/**
 * The import boundaries the README draws, as element types. Imports flow one way:
 * shared ← platform ← assistants-server ← server ← scripts/bench, and in the dashboard shared ← lib/ui/hooks ← api ← features ← app.
 * The dashboard's entry (src/client/main.tsx) belongs to no room: an element whose pattern is the whole src/client
 * would also claim every file below it, and nothing in ui/ or features/ would be checked
 * (src/client/import-boundaries.test.ts lints planted imports to keep it so).
 */
const elements = [
  { type: 'shared', pattern: 'src/shared' },
  { type: 'platform', pattern: 'src/platform' },
  { type: 'assistants-server', pattern: 'src/assistants-server' },
  { type: 'server', pattern: 'src/server' },
  { type: 'scripts', pattern: 'src/scripts' },
  { type: 'bench', pattern: 'src/bench' },
  { type: 'client-app', pattern: 'src/client/app' },
  { type: 'client-feature', pattern: 'src/client/features/*', capture: ['feature'] },
  { type: 'client-api', pattern: 'src/client/api' },
  { type: 'client-ui', pattern: 'src/client/ui' },
  { type: 'client-hooks', pattern: 'src/client/hooks' },
  { type: 'client-lib', pattern: 'src/client/lib' },
  { type: 'e2e', pattern: 'e2e' },
];

const client = ['client-app', 'client-feature', 'client-api', 'client-ui', 'client-hooks', 'client-lib'];
const allow = (from, to) => ({
  from: { element: { type: from } },
  allow: { to: { element: { types: to } } },
});

const boundaryRules = {
  'boundaries/dependencies': [
    'error',
    {
      default: 'disallow',
      policies: [
        allow('shared', ['shared']),
        allow('platform', ['platform', 'shared']),
        allow('assistants-server', ['assistants-server', 'platform', 'shared']),
        allow('server', ['server', 'assistants-server', 'platform', 'shared']),
        allow('scripts', ['scripts', 'server', 'platform', 'shared']),
        // The bench launches Chromium as the journeys do (e2e/chromium.ts).
        allow('bench', ['bench', 'server', 'assistants-server', 'platform', 'shared', 'e2e']),
        allow('client-lib', ['client-lib', 'shared']),
        allow('client-hooks', ['client-hooks', 'client-api', 'client-lib', 'shared']),
        allow('client-ui', ['client-ui', 'client-hooks', 'client-lib', 'shared']),
        allow('client-api', ['client-api', 'client-lib', 'shared']),
        allow('client-feature', ['client-api', 'client-ui', 'client-hooks', 'client-lib', 'shared']),
        // Inside one feature anything goes; one feature never reaches into another.
        {
          from: { element: { type: 'client-feature' } },
          allow: {
            to: {
              element: {
                type: 'client-feature',
                captured: { feature: '{{ from.element.captured.feature }}' },
              },
            },
          },
        },
        allow('client-app', [...client, 'shared']),
        allow('e2e', ['e2e', 'shared']),
        // A journey that needs a server of its own (runs executed by a scripted model) assembles it as main.ts does,
        // with the emulator's test doubles.
        {
          from: { element: { type: 'e2e' } },
          allow: { to: { element: { types: ['server', 'platform'] } } },
        },
        {
          from: { element: { type: 'e2e' } },
          allow: { to: { element: { type: 'assistants-server' }, file: { path: '**/test-support/**' } } },
        },
        // Tests may assemble what they test the way its composition root does: the whole server, the app's client.
        {
          from: { element: { type: 'assistants-server' }, file: { categories: 'test' } },
          allow: { to: { element: { type: 'server' } } },
        },
        {
          from: { element: { types: client }, file: { categories: 'test' } },
          allow: { to: { element: { type: 'client-app' } } },
        },
      ],
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist', 'data', 'node_modules', 'playwright-report', 'test-results', 'bench-report'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginQuery.configs['flat/recommended'],
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Typed: a promise nobody awaits, catches or marks `void` loses its rejection (an unhandled rejection ends the
    // server; in the dashboard it is an error nobody sees).
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  {
    files: ['src/**/*.{ts,tsx}', 'e2e/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': elements,
      'boundaries/files': [{ category: 'test', pattern: '**/*.test.{ts,tsx}' }],
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.mjs'] } },
    },
    rules: boundaryRules,
  },
);
