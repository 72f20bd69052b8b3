import * as z from 'zod';
import { functionParametersProblem } from './function-parameters';
import { decimal, integer, jsonObject, optional, refuse, withoutNulls } from './request-fields';

const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

const functionName = z.string().check((ctx) => {
  if (FUNCTION_NAME.test(ctx.value)) return;
  refuse(ctx, {
    code: 'invalid_value',
    word: (param) =>
      `Invalid '${param}': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$' with at most 64 characters.`,
  });
});

const functionDefinition = z
  .strictObject({
    name: functionName,
    description: optional(z.string()),
    parameters: optional(jsonObject),
    strict: optional(z.boolean()),
  })
  .check((ctx) => {
    const { name, parameters } = ctx.value;
    const problem = parameters ? functionParametersProblem(parameters, name) : null;
    if (problem === null) return;
    refuse(ctx, { code: 'invalid_function_parameters', word: () => problem, at: 'parameters' });
  })
  .transform((definition) => ({ ...withoutNulls(definition), name: definition.name }));

/** FileSearchRankingOptions: `score_threshold` is required, as the spec has it. */
const fileSearchRankingOptions = z
  .strictObject({
    ranker: optional(z.enum(['auto', 'default_2024_08_21'])),
    score_threshold: decimal({ min: 0, max: 1 }),
  })
  .transform((options) => ({ ...withoutNulls(options), score_threshold: options.score_threshold }));

/** AssistantToolsFileSearch's overrides: `max_num_results` 1–50 and `ranking_options`. */
const fileSearchOverrides = z
  .strictObject({
    max_num_results: optional(integer({ min: 1, max: 50 })),
    ranking_options: optional(fileSearchRankingOptions),
  })
  .transform((overrides) => withoutNulls(overrides));

/** AssistantToolsCode | AssistantToolsFileSearch | AssistantToolsFunction */
export const assistantTool = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('code_interpreter') }),
  z
    .strictObject({ type: z.literal('file_search'), file_search: optional(fileSearchOverrides) })
    .transform((tool) => ({ ...withoutNulls(tool), type: tool.type })),
  z.strictObject({ type: z.literal('function'), function: functionDefinition }),
]);

/** `tools`, at most `maxItems` of them (128 on an assistant, 20 on a run). */
export const toolList = (maxItems: number) => z.array(assistantTool).max(maxItems);

/** AssistantsApiToolChoiceOption */
export const toolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('function'), function: z.strictObject({ name: z.string() }) }),
    z.strictObject({ type: z.literal('code_interpreter') }),
    z.strictObject({ type: z.literal('file_search') }),
  ]),
]);

/** AssistantsApiResponseFormatOption */
export const responseFormat = z.union([
  z.enum(['auto']),
  z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('text') }),
    z.strictObject({ type: z.literal('json_object') }),
    z.strictObject({
      type: z.literal('json_schema'),
      json_schema: z
        .strictObject({
          name: z.string(),
          description: optional(z.string()),
          schema: optional(jsonObject),
          strict: optional(z.boolean()),
        })
        .transform((schema) => ({ ...withoutNulls(schema), name: schema.name })),
    }),
  ]),
]);

/** TruncationObject: `last_messages` is answered as null when not given. */
export const truncationStrategy = z
  .strictObject({
    type: z.enum(['auto', 'last_messages']),
    last_messages: optional(integer({ min: 1 })),
  })
  .transform(({ type, last_messages }): { type: typeof type; last_messages?: number | null } => ({
    type,
    last_messages: last_messages ?? null,
  }));

export type AssistantTool = z.output<typeof assistantTool>;
export type FunctionTool = Extract<AssistantTool, { type: 'function' }>;
export type FileSearchTool = Extract<AssistantTool, { type: 'file_search' }>;
export type FunctionDefinition = FunctionTool['function'];
export type ToolChoice = z.output<typeof toolChoice>;
export type ResponseFormat = z.output<typeof responseFormat>;
export type TruncationStrategy = z.output<typeof truncationStrategy>;
