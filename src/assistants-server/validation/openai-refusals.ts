import type * as z from 'zod';
import type { Refusal } from '../../shared/requests/request-fields';
import { badRequest, type EmulatorApiError } from '../api-error';
import { excerpt } from '../../platform/request-input';

/**
 * The error map of `/v1`: the first problem zod found in a request, worded as OpenAI words it, with its `param`
 * (`tools[0].function.name`) and `code`. Problems are reported in the order OpenAI checks them: an object's unknown
 * fields before its fields, then each field in the schema's order, depth first.
 */
export function refusalOf(issues: readonly z.core.$ZodIssue[], root: PropertyKey[] = []): EmulatorApiError {
  return refusal(firstIssue(issues), root);
}

type Path = readonly PropertyKey[];

function firstIssue(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue {
  const first = issues[0]!;
  const unknownAbove = issues
    .filter((issue) => issue.code === 'unrecognized_keys' && startsWith(first.path, issue.path))
    .sort((a, b) => a.path.length - b.path.length);
  return unknownAbove[0] ?? first;
}

function startsWith(path: Path, prefix: Path): boolean {
  return prefix.length <= path.length && prefix.every((key, index) => path[index] === key);
}

/** `tools[0].function.name`, as OpenAI names a parameter. */
function paramName(path: Path): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  record: 'an object',
  array: 'an array',
};

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return typeof value;
}

function missing(param: string) {
  return badRequest(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
}

function invalidType(param: string, expected: string, value: unknown) {
  return badRequest(
    `Invalid type for '${param}': expected ${expected}, but got ${describeType(value)} instead.`,
    param,
    'invalid_type',
  );
}

function notAmong(param: string, value: unknown, allowed: readonly unknown[]) {
  if (value === undefined) return missing(param);
  if (typeof value !== 'string') return invalidType(param, 'a string', value);
  const quoted = allowed.map((option) => `'${String(option)}'`);
  const inWords =
    quoted.length <= 2 ? quoted.join(' and ') : `${quoted.slice(0, -1).join(', ')}, and ${quoted.at(-1)}`;
  return badRequest(
    `Invalid value: '${excerpt(value)}'. Supported values are: ${inWords}.`,
    param,
    'invalid_value',
  );
}

function outOfRange(param: string, issue: z.core.$ZodIssueTooBig | z.core.$ZodIssueTooSmall) {
  const above = issue.code === 'too_big';
  const bound = above
    ? (issue as z.core.$ZodIssueTooBig).maximum
    : (issue as z.core.$ZodIssueTooSmall).minimum;
  const input = issue.input as { length: number } | number;
  if (issue.origin === 'string' || issue.origin === 'array') {
    const kind = issue.origin;
    const length = (input as { length: number }).length;
    return badRequest(
      `Invalid '${param}': ${kind} too ${above ? 'long' : 'short'}. Expected ${kind === 'array' ? 'an array' : 'a string'} with ${above ? 'maximum' : 'minimum'} length ${String(bound)}, but got ${kind === 'array' ? 'an array' : 'a string'} with length ${length} instead.`,
      param,
      `${kind}_${above ? 'above_max' : 'below_min'}_length`,
    );
  }
  const kind = issue.origin === 'int' ? 'integer' : 'decimal';
  return badRequest(
    `Invalid '${param}': ${kind} ${above ? 'above maximum' : 'below minimum'} value. Expected a value ${above ? '<=' : '>='} ${String(bound)}, but got ${String(input)} instead.`,
    param,
    `${kind}_${above ? 'above_max' : 'below_min'}_value`,
  );
}

/** A union of a string's and an object's forms (`tool_choice`) reports the form the input has; else the last. */
function unionBranch(branches: z.core.$ZodIssue[][]): z.core.$ZodIssue {
  const firsts = branches.map(firstIssue);
  const wrongForm = (issue: z.core.$ZodIssue) =>
    issue.path.length === 0 &&
    (issue.code === 'invalid_type' || (issue.code === 'invalid_value' && typeof issue.input !== 'string'));
  return firsts.find((issue) => !wrongForm(issue)) ?? firsts.at(-1)!;
}

function refusal(issue: z.core.$ZodIssue, root: Path): EmulatorApiError {
  const path = [...root, ...issue.path];
  const param = paramName(path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return badRequest(
        `Unrecognized request argument supplied: ${path.length ? `${param}.` : ''}${excerpt(issue.keys[0]!)}`,
      );
    case 'invalid_type':
      if (issue.input === undefined) return missing(param);
      return invalidType(param, EXPECTED[issue.expected] ?? `a ${issue.expected}`, issue.input);
    case 'invalid_value':
      return notAmong(param, issue.input, issue.values);
    case 'invalid_union': {
      if ('discriminator' in issue && typeof issue.discriminator === 'string') {
        const value = (issue.input as Record<string, unknown>)[issue.discriminator];
        return notAmong(param, value, (issue as { options?: unknown[] }).options ?? []);
      }
      return refusal(unionBranch(issue.errors), path);
    }
    case 'too_big':
    case 'too_small':
      return outOfRange(param, issue);
    case 'custom': {
      const worded = (issue.params as { refusal?: Refusal } | undefined)?.refusal;
      if (worded) return badRequest(worded.word(param, excerpt), param, worded.code);
      break;
    }
  }
  return badRequest(`Invalid '${param}'.`, param || null, 'invalid_value');
}
