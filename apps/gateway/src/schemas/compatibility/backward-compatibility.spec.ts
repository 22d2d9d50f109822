import { backwardIncompatibilities } from './backward-compatibility';
import type { JsonSchema } from '../shared/json-schema';

const object = (properties: Record<string, JsonSchema>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties,
  ...extra,
});

describe('backward compatibility (new readers read old data)', () => {
  const compatible = (before: JsonSchema, after: JsonSchema) =>
    expect(backwardIncompatibilities(before, after)).toEqual([]);
  const incompatible = (before: JsonSchema, after: JsonSchema, ...reasons: string[]) =>
    expect(backwardIncompatibilities(before, after)).toEqual(reasons);

  describe('properties', () => {
    it('accepts an identical schema', () => {
      const schema = object({ id: { type: 'string' } }, { required: ['id'] });
      compatible(schema, structuredClone(schema));
    });

    it('accepts an added optional property', () => {
      compatible(
        object({ id: { type: 'string' } }),
        object({ id: { type: 'string' }, note: { type: 'string' } }),
      );
    });

    it('rejects an added required property', () => {
      incompatible(
        object({ id: { type: 'string' } }),
        object({ id: { type: 'string' }, amount: { type: 'number' } }, { required: ['amount'] }),
        'required property `amount` added',
      );
    });

    it('names the nested object of an added required property', () => {
      incompatible(
        object({ payment: object({}) }),
        object({ payment: object({ amount: { type: 'number' } }, { required: ['amount'] }) }),
        'required property `amount` added at `/properties/payment`',
      );
    });

    it('accepts a required property made optional', () => {
      compatible(
        object({ id: { type: 'string' } }, { required: ['id'] }),
        object({ id: { type: 'string' } }),
      );
    });

    it('accepts a removed property while other properties stay allowed', () => {
      compatible(
        object({ id: { type: 'string' }, note: { type: 'string' } }),
        object({ id: { type: 'string' } }),
      );
    });

    it('rejects a removed property when additionalProperties is false', () => {
      incompatible(
        object(
          { id: { type: 'string' }, note: { type: 'string' } },
          { additionalProperties: false },
        ),
        object({ id: { type: 'string' } }, { additionalProperties: false }),
        'property `note` removed while additionalProperties is false',
      );
    });

    it('rejects additionalProperties newly false, naming what stays allowed', () => {
      incompatible(
        object({ id: { type: 'string' } }),
        object({ id: { type: 'string' } }, { additionalProperties: false }),
        'additionalProperties of `/` now false: properties other than [`id`] are no longer allowed',
      );
    });

    it('accepts a property added where additionalProperties was false', () => {
      compatible(
        object({ id: { type: 'string' } }, { additionalProperties: false }),
        object(
          { id: { type: 'string' }, note: { type: 'string' } },
          { additionalProperties: false },
        ),
      );
    });

    it('rejects a new property whose schema conflicts with the old additionalProperties', () => {
      incompatible(
        object({}, { additionalProperties: { type: 'string' } }),
        object({ count: { type: 'integer' } }),
        'type of `/properties/count` narrowed from string to integer',
      );
    });

    it('checks maxProperties and minProperties', () => {
      incompatible(
        object({}, { maxProperties: 5 }),
        object({}, { maxProperties: 3, minProperties: 1 }),
        'minProperties of `/` raised from 0 to 1',
        'maxProperties of `/` lowered from 5 to 3',
      );
    });

    it('escapes property names in paths as JSON Pointer', () => {
      incompatible(
        object({ 'a/b': { type: 'string' } }),
        object({ 'a/b': { type: 'number' } }),
        'type of `/properties/a~1b` narrowed from string to number',
      );
    });
  });

  describe('types', () => {
    it('accepts a widened type', () => {
      compatible(
        object({ id: { type: 'string' } }),
        object({ id: { type: ['string', 'number'] } }),
      );
    });

    it('rejects a narrowed type', () => {
      incompatible(
        object({ id: { type: ['string', 'number'] } }),
        object({ id: { type: 'string' } }),
        'type of `/properties/id` narrowed from [string,number] to string',
      );
    });

    it('treats integer as a kind of number', () => {
      compatible({ type: 'integer' }, { type: 'number' });
      incompatible(
        { type: 'number' },
        { type: 'integer' },
        'type of `/` narrowed from number to integer',
      );
    });

    it('rejects a type added where there was none', () => {
      incompatible({}, { type: 'object' }, 'type of `/` narrowed from any to object');
    });

    it('accepts a dropped type restriction', () => {
      compatible({ type: 'string', maxLength: 3 }, {});
      compatible({ type: 'string' }, true);
    });

    it('rejects a schema that now rejects everything', () => {
      incompatible({ type: 'string' }, false, '`/` now rejects every value');
      compatible(false, { type: 'string' });
    });
  });

  describe('enum and const', () => {
    it('accepts a widened enum', () => {
      compatible({ enum: ['a', 'b'] }, { enum: ['a', 'b', 'c'] });
    });

    it('rejects a narrowed enum, naming each value dropped', () => {
      incompatible(
        object({ status: { enum: ['a', 'b', 'c'] } }),
        object({ status: { enum: ['a'] } }),
        'enum of `/properties/status` narrowed: "b" no longer allowed',
        'enum of `/properties/status` narrowed: "c" no longer allowed',
      );
    });

    it('compares an enum against a typed enum value by value', () => {
      compatible({ enum: ['a', 1] }, { type: ['string', 'integer'], enum: ['a', 1, 'b'] });
      incompatible(
        { enum: ['a', 1] },
        { type: 'string', enum: ['a', 1] },
        'enum of `/` narrowed: 1 no longer allowed',
      );
      compatible({ enum: [{ x: [1] }] }, { enum: [{ x: [1] }, null] });
    });

    it('accepts an enum replaced by a type that holds every value', () => {
      compatible({ enum: ['a', 'bb'] }, { type: 'string', maxLength: 2 });
      compatible({ const: 3 }, { type: 'integer', minimum: 1 });
    });

    it('rejects an enum introduced on a free value', () => {
      incompatible({ type: 'string' }, { enum: ['a'] }, '`/` restricted to ["a"]');
    });

    it('reads boolean and null types as their few values', () => {
      compatible({ type: 'boolean' }, { enum: [true, false] });
      incompatible(
        { type: ['boolean', 'null'] },
        { enum: [true, false] },
        'enum of `/` narrowed: null no longer allowed',
      );
    });
  });

  describe('strings', () => {
    it('rejects a lowered maxLength and accepts a raised one', () => {
      incompatible(
        { type: 'string', maxLength: 10 },
        { type: 'string', maxLength: 5 },
        'maxLength of `/` lowered from 10 to 5',
      );
      compatible({ type: 'string', maxLength: 5 }, { type: 'string', maxLength: 10 });
    });

    it('rejects a raised minLength and an added maxLength', () => {
      incompatible(
        { type: 'string', minLength: 1 },
        { type: 'string', minLength: 2, maxLength: 9 },
        'minLength of `/` raised from 1 to 2',
        'maxLength 9 added to `/`',
      );
    });

    it('accepts a pattern or format removed, rejects one added', () => {
      compatible({ type: 'string', pattern: '^a', format: 'email' }, { type: 'string' });
      incompatible(
        { type: 'string' },
        { type: 'string', format: 'email' },
        'format "email" added to `/`',
      );
    });

    it('cannot verify a changed pattern', () => {
      incompatible(
        { type: 'string', pattern: '^[0-9]{3}$' },
        { type: 'string', pattern: '^[0-9]+$' },
        'cannot verify pattern change of `/` from "^[0-9]{3}$" to "^[0-9]+$"',
      );
    });
  });

  describe('numbers', () => {
    it('rejects a lowered maximum, accepts a raised one', () => {
      incompatible(
        { type: 'number', maximum: 100 },
        { type: 'number', maximum: 50 },
        'maximum of `/` lowered from 100 to 50',
      );
      compatible({ type: 'number', maximum: 50 }, { type: 'number', maximum: 100 });
    });

    it('rejects a raised minimum and a bound made exclusive', () => {
      incompatible(
        { type: 'number', minimum: 0 },
        { type: 'number', minimum: 1 },
        'minimum of `/` raised from 0 to 1',
      );
      incompatible(
        { type: 'number', minimum: 0 },
        { type: 'number', exclusiveMinimum: 0 },
        'minimum of `/` raised from 0 to 0 (exclusive)',
      );
      compatible({ type: 'number', exclusiveMaximum: 10 }, { type: 'number', maximum: 10 });
    });

    it('rejects a maximum added to an unbounded number', () => {
      incompatible({ type: 'integer' }, { type: 'integer', maximum: 9 }, 'maximum 9 added to `/`');
    });

    it('accepts multipleOf relaxed to a divisor, rejects one added', () => {
      compatible({ type: 'integer', multipleOf: 10 }, { type: 'integer', multipleOf: 5 });
      incompatible(
        { type: 'integer' },
        { type: 'integer', multipleOf: 2 },
        'multipleOf 2 added to `/`',
      );
    });
  });

  describe('arrays', () => {
    it('checks items recursively', () => {
      compatible(
        { type: 'array', items: { type: 'string' } },
        { type: 'array', items: { type: ['string', 'null'] } },
      );
      incompatible(
        { type: 'array', items: object({ id: { type: 'string' } }) },
        { type: 'array', items: object({ id: { type: 'string' } }, { required: ['id'] }) },
        'required property `id` added at `/items`',
      );
    });

    it('rejects fewer items allowed and uniqueness added', () => {
      incompatible(
        { type: 'array', maxItems: 10 },
        { type: 'array', maxItems: 3, uniqueItems: true },
        'maxItems of `/` lowered from 10 to 3',
        'uniqueItems added to `/`',
      );
    });

    it('cannot verify changed tuple items', () => {
      incompatible(
        { type: 'array', items: [{ type: 'string' }] },
        { type: 'array', items: [{ type: 'number' }] },
        'cannot verify tuple `items` at `/`',
      );
    });
  });

  describe('references and combinations', () => {
    it('follows local $refs on both sides', () => {
      const before = {
        $defs: { money: { type: 'string', maxLength: 40 } },
        ...object({ amount: { $ref: '#/$defs/money' } }),
      };
      const widened = {
        definitions: { money: { type: 'string' } },
        ...object({ amount: { $ref: '#/definitions/money' } }),
      };
      const narrowed = {
        $defs: { money: { type: 'string', maxLength: 20 } },
        ...object({ amount: { $ref: '#/$defs/money' } }),
      };
      compatible(before, widened);
      incompatible(before, narrowed, 'maxLength of `/properties/amount` lowered from 40 to 20');
    });

    it('terminates on recursive schemas', () => {
      const tree = (max: number) => ({
        $defs: {
          node: object({
            label: { type: 'string', maxLength: max },
            children: { type: 'array', items: { $ref: '#/$defs/node' } },
          }),
        },
        $ref: '#/$defs/node',
      });
      compatible(tree(10), tree(20));
      incompatible(tree(20), tree(10), 'maxLength of `/properties/label` lowered from 20 to 10');
    });

    it('cannot verify a remote $ref', () => {
      incompatible(
        { type: 'string' },
        { $ref: 'https://example.com/s.json' },
        'cannot verify `$ref` https://example.com/s.json at `/`',
      );
    });

    it('accepts a value moved into one alternative of a new anyOf', () => {
      compatible({ type: 'string' }, { anyOf: [{ type: 'number' }, { type: 'string' }] });
      compatible(
        { anyOf: [{ type: 'string' }, { type: 'null' }] },
        { type: ['string', 'null', 'number'] },
      );
    });

    it('rejects an anyOf losing an alternative', () => {
      incompatible(
        { anyOf: [{ type: 'string' }, { type: 'integer' }] },
        { anyOf: [{ type: 'string' }] },
        'cannot verify that every value of `/` matches an alternative of anyOf',
      );
    });

    it('requires every allOf branch of the new schema', () => {
      incompatible(
        { type: 'string' },
        { allOf: [{ type: 'string' }, { maxLength: 3 }] },
        'maxLength 3 added to `/`',
      );
    });

    it('cannot verify keywords outside the supported subset, unless unchanged', () => {
      incompatible(
        { type: 'object' },
        { type: 'object', patternProperties: { '^x': { type: 'string' } } },
        'cannot verify `patternProperties` at `/`',
      );
      const same = { type: 'object', patternProperties: { '^x': { type: 'string' } } };
      compatible(same, structuredClone(same));
      incompatible(
        {
          type: 'object',
          patternProperties: { '^x': { type: 'string' } },
          additionalProperties: false,
        },
        { type: 'object', additionalProperties: false, properties: {} },
        'cannot verify `patternProperties` of the previous version at `/`',
      );
      incompatible(
        { type: 'integer' },
        { type: 'integer', not: { const: 0 } },
        'cannot verify `not` at `/`',
      );
    });

    it('ignores annotations', () => {
      compatible(
        { type: 'string', title: 'a' },
        { type: 'string', description: 'b', examples: ['x'] },
      );
    });
  });
});
