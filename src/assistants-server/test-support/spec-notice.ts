import { SPEC_AVAILABLE, SPEC_MISSING_REASON } from './openapi-contract';

/** Vitest global setup: says once per run, never silently, that the checks against OpenAI's spec are skipped. */
export default function specNotice(): void {
  if (!SPEC_AVAILABLE) console.warn(`\n⚠ ${SPEC_MISSING_REASON}\n`);
}
