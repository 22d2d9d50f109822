import {
  canonicalJson,
  idempotencyKeyProblem,
  idempotencyKeyRequired,
  requestHash,
} from './idempotency';

describe('idempotency', () => {
  it('writes the same JSON for bodies that differ only in key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('hashes method, path and canonical body, ignoring the query string', () => {
    const hash = requestHash('post', '/users?x=1', { name: 'Ana', email: 'a@x.com' });
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(requestHash('POST', '/users', { email: 'a@x.com', name: 'Ana' })).toBe(hash);
  });

  it('tells apart another body, path or method', () => {
    const hash = requestHash('POST', '/users', { name: 'Ana' });
    expect(requestHash('POST', '/users', { name: 'Bia' })).not.toBe(hash);
    expect(requestHash('PUT', '/users', { name: 'Ana' })).not.toBe(hash);
    expect(requestHash('POST', '/users/1/payments', { name: 'Ana' })).not.toBe(hash);
    expect(requestHash('POST', '/users', { name: 'Ana', extra: null })).not.toBe(hash);
  });

  it('accepts keys of up to 200 visible ASCII characters', () => {
    expect(idempotencyKeyProblem('order-42_retry:1')).toBeUndefined();
    expect(idempotencyKeyProblem('k'.repeat(200))).toBeUndefined();
    expect(idempotencyKeyProblem('k'.repeat(201))).toBe('must be at most 200 characters');
    expect(idempotencyKeyProblem('')).toBe('must not be empty');
    expect(idempotencyKeyProblem('with space')).toBe('must contain only visible ASCII characters');
  });

  it('answers a route that needs a key with 400 naming the header and saying why', () => {
    const { problem } = idempotencyKeyRequired('a retried credit must be applied once');
    expect(problem.status).toBe(400);
    expect(problem['errors']).toEqual([
      {
        field: 'headers.idempotency-key',
        message: 'Idempotency-Key is required: a retried credit must be applied once',
      },
    ]);
  });
});
