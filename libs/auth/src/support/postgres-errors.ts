import { QueryFailedError } from 'typeorm';

/** Postgres SQLSTATE 23505: the row collides with an existing key. */
export function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof QueryFailedError &&
    (error.driverError as { code?: string } | undefined)?.code === '23505'
  );
}
