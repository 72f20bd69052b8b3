import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { sampleArguments } from './sample-arguments';

const ajv = new Ajv({ strict: false });

const schemas: Record<string, Record<string, unknown>> = {
  flat: {
    type: 'object',
    properties: {
      city: { type: 'string' },
      days: { type: 'integer', minimum: 3, maximum: 7 },
      metric: { type: 'boolean' },
    },
    required: ['city'],
  },
  enums: {
    type: 'object',
    properties: { unit: { type: 'string', enum: ['celsius', 'fahrenheit'] }, kind: { const: 'x' } },
  },
  nested: {
    type: 'object',
    properties: {
      order: {
        type: 'object',
        properties: {
          id: { type: 'string', minLength: 12, maxLength: 16 },
          lines: {
            type: 'array',
            minItems: 2,
            items: {
              type: 'object',
              properties: { sku: { type: 'string' }, qty: { type: 'number', exclusiveMinimum: 0 } },
              required: ['sku', 'qty'],
            },
          },
        },
        required: ['id', 'lines'],
      },
    },
    required: ['order'],
    additionalProperties: false,
  },
  refsAndUnions: {
    type: 'object',
    $defs: {
      address: { type: 'object', properties: { zip: { type: 'string', format: 'uuid' } }, required: ['zip'] },
    },
    properties: {
      address: { $ref: '#/$defs/address' },
      note: { anyOf: [{ type: 'null' }, { type: 'string', maxLength: 3 }] },
      when: { type: ['string', 'null'], format: 'date-time' },
      both: {
        allOf: [
          {
            type: 'object',
            properties: { a: { type: 'integer', multipleOf: 5, minimum: 1 } },
            required: ['a'],
          },
        ],
      },
    },
    required: ['address', 'note', 'when', 'both'],
  },
};

describe('sampleArguments', () => {
  it.each(Object.keys(schemas))('produces arguments valid for the %s schema', (name) => {
    const schema = schemas[name]!;
    const value = sampleArguments(schema);
    const validate = ajv.compile(schema);
    expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
  });

  it('is deterministic, and gives {} without a schema', () => {
    expect(sampleArguments(schemas.nested)).toEqual(sampleArguments(schemas.nested));
    expect(sampleArguments(undefined)).toEqual({});
  });
});
