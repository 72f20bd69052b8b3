import { resolvePointer } from './json-pointer';

/**
 * A function tool's `parameters` must be a JSON Schema the emulator can use: the keywords it reads (and the common
 * ones beside them) must have the shapes JSON Schema gives them, and a local `$ref` must point at a schema in the
 * same document. Refused at creation as OpenAI refuses them (`Invalid schema for function 'name': …`, in the style
 * of the validator it used: `5 is not of type 'array'.`, with `In context=(…)` naming where, deeper in).
 * Written by hand: a schema library checks the shape of a request, not whether a value is itself a usable schema.
 */
export function functionParametersProblem(parameters: Record<string, unknown>, name: string): string | null {
  const problem = schemaProblem(parameters, parameters, [], 0);
  return problem === null ? null : `Invalid schema for function '${name}': ${problem}`;
}

const TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];
/** Keywords whose value is one schema. */
const SUBSCHEMA = [
  'additionalProperties',
  'additionalItems',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
];
/** Keywords whose value maps names to schemas. */
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const COUNTS = ['minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties'];
const NUMBERS = ['minimum', 'maximum'];
const STRINGS = ['pattern', 'format', 'title', 'description', '$id', '$schema', '$comment'];
/** The request body is at most 64 levels deep, so this only guards the walk itself. */
const MAX_DEPTH = 64;
/** How much of a refused value the message shows. */
const MAX_SHOWN_CHARACTERS = 80;

type Context = readonly (string | number)[];

/** What is wrong with the first bad keyword found, or null. */
function schemaProblem(
  node: unknown,
  root: Record<string, unknown>,
  context: Context,
  depth: number,
): string | null {
  if (typeof node === 'boolean') return null;
  if (typeof node !== 'object' || node === null || Array.isArray(node))
    return at(context, `${show(node)} is not of type 'object', 'boolean'.`);
  if (depth > MAX_DEPTH) return at(context, `the schema is nested more than ${MAX_DEPTH} levels deep.`);
  const schema = node as Record<string, unknown>;
  for (const [keyword, value] of Object.entries(schema)) {
    const problem = keywordProblem(keyword, value, root, context, depth);
    if (problem !== null) return problem;
  }
  return null;
}

function keywordProblem(
  keyword: string,
  value: unknown,
  root: Record<string, unknown>,
  where: Context,
  depth: number,
): string | null {
  const context = [...where, keyword];
  const sub = (node: unknown, at: Context) => schemaProblem(node, root, at, depth + 1);
  if (keyword === 'type') return typeProblem(value, where);
  if (keyword === '$ref') return refProblem(value, root, where);
  if (keyword === 'required' || keyword === 'enum') {
    if (!Array.isArray(value)) return at(where, `${show(value)} is not of type 'array'.`);
    if (keyword === 'enum') return null;
    const notName = value.findIndex((item) => typeof item !== 'string');
    return notName < 0 ? null : at(context, `${show(value[notName])} is not of type 'string'.`);
  }
  if (keyword === 'items') {
    if (!Array.isArray(value)) return sub(value, context);
    return firstProblem(value.map((item, index) => () => sub(item, [...context, index])));
  }
  if (SUBSCHEMA.includes(keyword)) return sub(value, context);
  if (SCHEMA_MAPS.includes(keyword)) {
    if (!isPlainObject(value)) return at(where, `${show(value)} is not of type 'object'.`);
    return firstProblem(
      Object.entries(value).map(
        ([key, item]) =>
          () =>
            sub(item, [...context, key]),
      ),
    );
  }
  if (SCHEMA_LISTS.includes(keyword)) {
    if (!Array.isArray(value)) return at(where, `${show(value)} is not of type 'array'.`);
    if (value.length === 0) return at(where, '[] should be non-empty.');
    return firstProblem(value.map((item, index) => () => sub(item, [...context, index])));
  }
  if (COUNTS.includes(keyword)) {
    if (typeof value !== 'number' || !Number.isInteger(value))
      return at(where, `${show(value)} is not of type 'integer'.`);
    return value < 0 ? at(where, `${value} is less than the minimum of 0.`) : null;
  }
  if (NUMBERS.includes(keyword) && typeof value !== 'number')
    return at(where, `${show(value)} is not of type 'number'.`);
  if (
    (keyword === 'exclusiveMinimum' || keyword === 'exclusiveMaximum') &&
    !['number', 'boolean'].includes(typeof value)
  )
    return at(where, `${show(value)} is not of type 'number', 'boolean'.`);
  if (keyword === 'multipleOf') {
    if (typeof value !== 'number') return at(where, `${show(value)} is not of type 'number'.`);
    return value <= 0 ? at(where, `${value} is less than or equal to the minimum of 0.`) : null;
  }
  if (keyword === 'uniqueItems' && typeof value !== 'boolean')
    return at(where, `${show(value)} is not of type 'boolean'.`);
  if (STRINGS.includes(keyword) && typeof value !== 'string')
    return at(where, `${show(value)} is not of type 'string'.`);
  return null;
}

function typeProblem(value: unknown, context: Context): string | null {
  const names = Array.isArray(value) ? value : [value];
  const valid = names.length > 0 && names.every((name) => typeof name === 'string' && TYPES.includes(name));
  return valid ? null : at(context, `${show(value)} is not valid under any of the given schemas.`);
}

/** A local `$ref` (`#`, `#/$defs/x`) must point at a schema of this document; other references are not followed. */
function refProblem(value: unknown, root: Record<string, unknown>, context: Context): string | null {
  if (typeof value !== 'string') return at(context, `${show(value)} is not of type 'string'.`);
  if (!value.startsWith('#')) return null;
  const target = resolvePointer(value, root);
  const resolved = target !== undefined && (typeof target === 'boolean' || isPlainObject(target));
  return resolved ? null : at(context, `Unresolvable JSON pointer: ${show(value)}.`);
}

function firstProblem(checks: Array<() => string | null>): string | null {
  for (const check of checks) {
    const problem = check();
    if (problem !== null) return problem;
  }
  return null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The refused value as the validator prints it (strings quoted), cut short. */
function show(value: unknown): string {
  const text = typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
  return text.length > MAX_SHOWN_CHARACTERS ? `${text.slice(0, MAX_SHOWN_CHARACTERS)}…` : text;
}

/** The message, prefixed with where in the schema it applies (nothing at its top level). */
function at(where: Context, message: string): string {
  if (where.length === 0) return message;
  const path = where.map((part) => (typeof part === 'number' ? String(part) : `'${part}'`)).join(', ');
  return `In context=(${path}), ${message}`;
}
