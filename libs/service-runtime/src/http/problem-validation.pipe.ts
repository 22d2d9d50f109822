import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import type { ValidationError } from 'class-validator';
import { flatDtoCheck } from './flat-dto-check';
import { ProblemException } from './problem.exception';
import { toFieldErrors } from './validation-errors';

/** Carries class-validator's errors out of the base pipe, to be named by the call that raised them. */
class RawValidationErrors extends Error {
  constructor(readonly errors: ValidationError[]) {
    super('validation failed');
  }
}

/**
 * Whitelisting validation: unknown fields are rejected, types converted, and failures answered as
 * 400 problem details naming each bad field with where it came from (`body.`, `query.`, `params.`).
 * The source is applied per call, never stored on the shared pipe, since one pipe instance validates
 * the arguments of concurrent requests.
 */
export class ProblemValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors: ValidationError[]) => new RawValidationErrors(errors),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const valid = this.toValidate(metadata) ? validFlatDto(value, metadata) : undefined;
    if (valid !== undefined) return valid;
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (!(error instanceof RawValidationErrors)) throw error;
      const source = metadata.type === 'param' ? 'params' : metadata.type;
      throw ProblemException.validation(toFieldErrors(error.errors, source));
    }
  }
}

/**
 * The DTO instance of a flat value (an object of strings, numbers, booleans and nulls, fields all
 * of the DTO) that passes its rules, checked by {@link flatDtoCheck}; undefined for any other
 * value, or one that fails, which then takes the whole validation (and its error names). For such
 * a value the base pipe does nothing else: no prototype keys to strip, no nested or binary values;
 * the instance is built by the same `plainToInstance` call (transforms such as trimming included).
 */
function validFlatDto(value: unknown, metadata: ArgumentMetadata): object | undefined {
  const { metatype } = metadata;
  if (metatype === undefined || !isFlatObject(value)) return undefined;
  const check = flatDtoCheck(metatype);
  if (check === undefined) return undefined;
  const entity: unknown = plainToInstance(metatype, value);
  return entity instanceof metatype && check(entity) ? entity : undefined;
}

/**
 * A plain object's prototype: Object.prototype, none, or an empty prototype-less object (what
 * Fastify's router makes route params of), so nothing is inherited.
 */
function isPlainPrototype(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) return true;
  return (
    typeof prototype === 'object' &&
    Object.getPrototypeOf(prototype) === null &&
    Reflect.ownKeys(prototype).length === 0
  );
}

function isFlatObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || !isPlainPrototype(value)) return false;
  for (const key in value) {
    if (key === 'constructor' || key === 'prototype' || key === '__proto__') return false;
    const field = (value as Record<string, unknown>)[key];
    if (
      typeof field === 'object'
        ? field !== null
        : typeof field !== 'string' && typeof field !== 'number' && typeof field !== 'boolean'
    ) {
      return false;
    }
  }
  return true;
}
