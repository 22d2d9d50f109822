import 'reflect-metadata';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/** Thrown at start when the environment is wrong; the message names every bad variable. */
export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InvalidEnvironmentError';
  }
}

/**
 * Builds a `validate` function for @nestjs/config from a class whose properties are the variable
 * names. Values are converted (`enableImplicitConversion`) and unknown variables are ignored.
 */
export function validateEnvironment<T extends object>(
  schema: ClassConstructor<T>,
): (raw: Record<string, unknown>) => T {
  return (raw) => {
    const env = plainToInstance(schema, raw, { enableImplicitConversion: true });
    const errors = validateSync(env, { skipMissingProperties: false, forbidUnknownValues: true });
    if (errors.length > 0) throw new InvalidEnvironmentError(errors.flatMap(describe));
    return env;
  };
}

function describe(error: ValidationError): string[] {
  // class-validator prefixes its messages with the property name; say it once, up front.
  const reasons = Object.values(error.constraints ?? {}).map((m) =>
    m.startsWith(`${error.property} `) ? m.slice(error.property.length + 1) : m,
  );
  const value = error.value === undefined ? 'missing' : JSON.stringify(error.value);
  return reasons.length > 0 ? [`${error.property} (${value}): ${reasons.join('; ')}`] : [];
}
