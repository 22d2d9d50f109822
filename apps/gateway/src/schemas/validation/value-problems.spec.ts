import { compileSchema, SchemaCompileError } from '../shared/json-schema';
import { valueProblems } from './value-problems';

const orderSchema = {
  type: 'object',
  required: ['id', 'lines'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    'a/b': { type: 'integer' },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        required: ['sku'],
        properties: { qty: { type: 'integer', minimum: 1 } },
      },
    },
  },
};

const problemsOf = (value: unknown, index = 0) => {
  const validate = compileSchema(orderSchema);
  return validate(value) ? [] : valueProblems(index, validate.errors ?? []);
};

describe('record value problems', () => {
  it('point at the failing value inside the record, as JSON Pointer', () => {
    expect(problemsOf({ id: 7, lines: [{ sku: 'x', qty: 0 }] }, 3)).toEqual([
      { index: 3, path: '/id', message: 'must be string' },
      { index: 3, path: '/lines/0/qty', message: 'must be >= 1' },
    ]);
  });

  it('point at a missing property itself, not at its parent', () => {
    expect(problemsOf({ lines: [{}] })).toEqual([
      { index: 0, path: '/id', message: 'is required' },
      { index: 0, path: '/lines/0/sku', message: 'is required' },
    ]);
  });

  it('name a property that is not allowed, escaping it', () => {
    expect(problemsOf({ id: 'a', lines: [], 'x/y': 1 })).toEqual([
      { index: 0, path: '/x~1y', message: 'is not allowed (additionalProperties is false)' },
    ]);
  });

  it('report the whole value when it is of the wrong type', () => {
    expect(problemsOf('text')).toEqual([{ index: 0, path: '', message: 'must be object' }]);
  });

  it('come from the draft-07 dialect, which refuses unknown keywords and other drafts', () => {
    expect(() => compileSchema({ type: 'string', maxLenght: 3 })).toThrow(SchemaCompileError);
    expect(() =>
      compileSchema({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'string' }),
    ).toThrow(/no schema with key or ref/);
    expect(() =>
      compileSchema({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'string' }),
    ).not.toThrow();
  });
});
