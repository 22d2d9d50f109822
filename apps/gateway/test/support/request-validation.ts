import type { ArgumentMetadata, Type } from '@nestjs/common';
import {
  ProblemException,
  ProblemValidationPipe,
  type FieldError,
} from '@event-hub/service-runtime';

/** The pipe every gateway route validates its DTOs with. */
const pipe = new ProblemValidationPipe();

/** What a route receives for `value` as a `metatype`: validated and transformed. */
export async function validated<T>(
  metatype: Type<T>,
  value: unknown,
  type: ArgumentMetadata['type'] = 'body',
): Promise<T> {
  return (await pipe.transform(value, { type, metatype })) as T;
}

/** The fields the gateway names when it refuses `value` as a `metatype`; none when it accepts it. */
export async function fieldErrors(
  metatype: Type<unknown>,
  value: unknown,
  type: ArgumentMetadata['type'] = 'body',
): Promise<FieldError[]> {
  try {
    await pipe.transform(value, { type, metatype });
  } catch (error) {
    if (error instanceof ProblemException) return error.problem.errors ?? [];
    throw error;
  }
  return [];
}

/** The names of the fields refused, each once, sorted. */
export const fields = (errors: FieldError[]): string[] =>
  [...new Set(errors.map((e) => e.field))].sort();
