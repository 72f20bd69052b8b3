import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The dashboard's floors (README: shared ← lib/ui/hooks ← api ← features ← app) are enforced by the boundaries rule
 * in eslint.config.js. These imports are planted in memory and linted with the project's configuration, so a change
 * to the configuration that stops classifying the client's rooms fails here instead of passing every import quietly.
 */
const eslint = new ESLint({
  // A planted file is in no TypeScript project: the typed rules' program cannot see it (the boundaries need none).
  overrideConfig: {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
});

async function boundaryErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return result!.messages
    .filter((message) => message.ruleId === 'boundaries/dependencies')
    .map((message) => message.message);
}

describe('import boundaries of the dashboard', () => {
  it('refuses an import from one feature into another', async () => {
    const errors = await boundaryErrors(
      'src/client/features/threads/planted.ts',
      "import { StuckRunsTriage } from '../stuck-runs/stuck-runs-triage';\nexport const planted = StuckRunsTriage;\n",
    );
    expect(errors).toEqual([expect.stringMatching(/feature="threads".*feature="stuck-runs"/)]);
  });

  it('refuses an import of api/ from ui/', async () => {
    const errors = await boundaryErrors(
      'src/client/ui/planted.ts',
      "import { useThreadLabel } from '../api/use-thread-label';\nexport const planted = useThreadLabel;\n",
    );
    expect(errors).toEqual([expect.stringMatching(/"client-ui" to elements of type "client-api"/)]);
  });

  it('refuses an import of a feature from api/ and of the server from a feature', async () => {
    expect(
      await boundaryErrors(
        'src/client/api/planted.ts',
        "import { StuckRunsTriage } from '../features/stuck-runs/stuck-runs-triage';\nexport const planted = StuckRunsTriage;\n",
      ),
    ).toHaveLength(1);
    expect(
      await boundaryErrors(
        'src/client/features/threads/planted.ts',
        "import { createApp } from '../../../server/app';\nexport const planted = createApp;\n",
      ),
    ).toHaveLength(1);
  });

  it('allows what the floors allow: a feature using its own files, api/, ui/ and shared/', async () => {
    const errors = await boundaryErrors(
      'src/client/features/threads/planted.ts',
      [
        "import { ThreadListItem } from './thread-list-item';",
        "import { useThreadLabel } from '../../api/use-thread-label';",
        "import { ThreadName } from '../../ui/thread-name';",
        "import { RUN_STATUSES } from '../../../shared/openai-types';",
        'export const planted = [ThreadListItem, useThreadLabel, ThreadName, RUN_STATUSES];',
      ].join('\n'),
    );
    expect(errors).toEqual([]);
  });
});
