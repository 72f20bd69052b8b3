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

  it('never throws on schemas it cannot use (stored before they were checked), and stays bounded', () => {
    const everyRef = { a: { $ref: '#' }, b: { $ref: '#' }, c: { $ref: '#' } };
    const hostile: Array<Record<string, unknown>> = [
      { type: 'object', properties: { a: { $ref: '#/%' } } },
      { type: 'object', required: 5 },
      { type: 'object', properties: { a: {} }, required: [5, null, 'b'] },
      { allOf: [5, null, { required: null, properties: 'x' }, { $ref: '#/nowhere' }] },
      { type: 'object', properties: { a: { format: 'constructor' }, __proto__x: { type: 'string' } } },
      { type: 'object', properties: everyRef },
      { allOf: Array.from({ length: 5_000 }, () => ({ $ref: '#' })), properties: everyRef },
      { type: 'array', items: { type: 'array', minItems: 1e9, items: { type: 'string', minLength: 1e12 } } },
    ];
    for (const schema of hostile) {
      const value = sampleArguments(schema);
      expect(typeof value).toBe('object');
      expect(JSON.stringify(value).length).toBeLessThan(2_000_000);
    }
    expect(sampleArguments(hostile[1]!)).toEqual({});
    expect(sampleArguments(hostile[2]!)).toEqual({ a: 'sample_a', b: 'sample_b' });
    expect(sampleArguments(hostile[4]!)).toEqual({ a: 'sample_a', __proto__x: 'sample___proto__x' });
  });
});
