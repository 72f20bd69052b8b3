import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020';
import { parse } from 'yaml';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** OpenAI's spec: `RUNBOARD_OPENAPI_SPEC`, else the reference copy beside the repo (absent in a plain clone). */
export const SPEC_PATH = resolve(
  repoRoot,
  process.env.RUNBOARD_OPENAPI_SPEC ?? '../shared/reference/openai-openapi.yaml',
);
export const SPEC_AVAILABLE = existsSync(SPEC_PATH);
/** Printed once per test run (spec-notice.ts) when the spec is absent; the checks that need it are skipped. */
export const SPEC_MISSING_REASON = `OpenAI's spec is not at ${SPEC_PATH} (set RUNBOARD_OPENAPI_SPEC): the contract checks against it are skipped.`;

type Node = unknown;

/**
 * OpenAI's spec says 3.1 but writes nullability 3.0-style (`nullable: true`, also as `allOf: [{$ref}, {nullable: true}]`).
 * Rewrite it into plain JSON Schema: nullable becomes "or null", vendor extensions go.
 */
export function normaliseSchema(node: Node): Node {
  if (Array.isArray(node)) return node.map(normaliseSchema);
  if (typeof node !== 'object' || node === null) return node;
  const source = node as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (key.startsWith('x-') || key === 'nullable' || key === 'example' || key === 'discriminator') continue;
    if (key === 'allOf' && Array.isArray(value)) {
      const rest = value.filter((part) => !isNullableMarker(part));
      if (rest.length !== value.length) {
        result.anyOf = [{ allOf: rest.map(normaliseSchema) }, { type: 'null' }];
        continue;
      }
    }
    result[key] = key === 'properties' ? mapValues(value, normaliseSchema) : normaliseSchema(value);
  }
  if (source.nullable === true) return { anyOf: [result, { type: 'null' }] };
  return result;
}

function isNullableMarker(part: unknown): boolean {
  return (
    typeof part === 'object' &&
    part !== null &&
    Object.keys(part).length === 1 &&
    (part as Record<string, unknown>).nullable === true
  );
}

function mapValues(value: unknown, map: (node: Node) => Node): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, map(entry)]));
}

export interface Contract {
  validator(schemaName: string): ValidateFunction;
  /** Throws with Ajv's errors when `value` does not match the named component schema. */
  assertMatches(schemaName: string, value: unknown): void;
}

/** Parses the 3 MB spec once; validators compile lazily, one per schema used. */
export function loadContract(): Contract {
  const spec = parse(readFileSync(SPEC_PATH, 'utf8')) as { components: { schemas: Record<string, unknown> } };
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: 'openai', components: { schemas: normaliseSchema(spec.components.schemas) } });
  const cache = new Map<string, ValidateFunction>();
  const validator = (schemaName: string) => {
    let validate = cache.get(schemaName);
    if (!validate) {
      validate = ajv.getSchema(`openai#/components/schemas/${schemaName}`);
      if (!validate) throw new Error(`No schema ${schemaName} in the spec`);
      cache.set(schemaName, validate);
    }
    return validate;
  };
  return {
    validator,
    assertMatches(schemaName, value) {
      const validate = validator(schemaName);
      if (!validate(value)) {
        throw new Error(
          `${schemaName} mismatch: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value).slice(0, 600)}`,
        );
      }
    },
  };
}

let sharedContract: Contract | null = null;

/**
 * An error answer is `{ error: { message, type, param, code } }`, checked by hand always and against the spec's
 * ErrorResponse when the spec is available.
 */
export function assertErrorResponse(body: unknown): void {
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  const nullableString = (value: unknown) => value === null || typeof value === 'string';
  if (
    !error ||
    typeof error.message !== 'string' ||
    typeof error.type !== 'string' ||
    !nullableString(error.param) ||
    !nullableString(error.code)
  ) {
    throw new Error(`Not an OpenAI error body: ${JSON.stringify(body).slice(0, 600)}`);
  }
  if (!SPEC_AVAILABLE) return;
  sharedContract ??= loadContract();
  sharedContract.assertMatches('ErrorResponse', body);
}
