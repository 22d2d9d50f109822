import type { ValidationError } from 'class-validator';
import type { FieldError } from './problem-details';

/** Flattens class-validator's nested errors into one entry per field, with a dotted path. */
export function toFieldErrors(errors: ValidationError[], prefix: string): FieldError[] {
  return errors.flatMap((error) => {
    const path = `${prefix}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field: path,
      message: message.replace(/^property (\S+) should not exist$/, 'is not allowed'),
    }));
    return [...own, ...toFieldErrors(error.children ?? [], path)];
  });
}
