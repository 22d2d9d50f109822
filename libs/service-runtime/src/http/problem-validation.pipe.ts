import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { ProblemException } from './problem.exception';
import { toFieldErrors } from './validation-errors';

/**
 * Whitelisting validation: unknown fields are rejected, types converted, and failures answered as
 * 400 problem details naming each bad field with where it came from (`body.`, `query.`, `params.`).
 */
export class ProblemValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      validationError: { target: false, value: false },
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const source = metadata.type === 'param' ? 'params' : metadata.type;
    this.exceptionFactory = (errors: ValidationError[]) =>
      ProblemException.validation(toFieldErrors(errors, source));
    return super.transform(value, metadata);
  }
}
