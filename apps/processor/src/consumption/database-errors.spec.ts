import { QueryFailedError } from 'typeorm';
import { isConnectivityError } from './database-errors';

const withCode = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

describe('database error classification', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a connection that dropped mid-query', new Error('Connection terminated unexpectedly')],
    [
      'a server shutting down',
      withCode('57P01', 'terminating connection due to administrator command'),
    ],
    ['an SQLSTATE class 08 error', withCode('08006', 'connection failure')],
    ['a pool that could not connect in time', new Error('timeout exceeded when trying to connect')],
    [
      'a dropped connection wrapped by TypeORM',
      new QueryFailedError('SELECT 1', [], new Error('Connection terminated unexpectedly')),
    ],
    [
      'several refused addresses',
      new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]),
    ],
  ])('treats %s as the database being unreachable', (_, error) => {
    expect(isConnectivityError(error)).toBe(true);
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT', [], withCode('23505', 'duplicate key'))],
    [
      'an exception raised by a trigger',
      new QueryFailedError('INSERT', [], withCode('P0001', 'nope')),
    ],
    ['a deadlock', withCode('40P01', 'deadlock detected')],
    ['a bug in our code', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a non-error value', 'weird'],
  ])('treats %s as a failed statement, not an outage', (_, error) => {
    expect(isConnectivityError(error)).toBe(false);
  });
});
