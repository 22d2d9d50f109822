import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
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
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (!(error instanceof RawValidationErrors)) throw error;
      const source = metadata.type === 'param' ? 'params' : metadata.type;
      throw ProblemException.validation(toFieldErrors(error.errors, source));
    }
  }
}
