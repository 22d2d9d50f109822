import {
  ValidateBy,
  buildMessage,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';

/** A tenant id as tenants are created (`libs/auth`): anything else cannot have billing. */
export const TENANT_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** Longest range one usage report covers: bounds the rows a single request may sum. */
export const MAX_REPORT_DAYS = 366;

const DAY_MS = 24 * 60 * 60 * 1000;

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d))?$/;

/**
 * An instant: a date (`2026-11-01`, midnight UTC) or a date-time with its offset
 * (`2026-11-01T12:00:00Z`, `…-03:00`). A date-time without an offset is refused: the server's
 * zone must not decide which usage a report holds.
 */
export function isInstant(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = INSTANT.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // 2026-02-30 would otherwise quietly become March 2nd.
  return (
    year >= 1970 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  );
}

export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInstant',
      validator: {
        validate: (value: unknown) => isInstant(value),
        defaultMessage: buildMessage(
          (each) =>
            `${each}$property must be a date (YYYY-MM-DD) or a date-time with an offset (…Z or …±hh:mm), 1970 or later`,
          options,
        ),
      },
    },
    options,
  );
}

export function toInstant(value: string): Date {
  return new Date(value);
}

/** Later than the instant in `otherProperty`, by at most `maxDays`. */
export function IsLaterThan(
  otherProperty: string,
  maxDays: number,
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isLaterThan',
      constraints: [otherProperty, maxDays],
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => {
          const other = (args?.object as Record<string, unknown> | undefined)?.[otherProperty];
          // The instants' own validators report malformed values.
          if (typeof value !== 'string' || typeof other !== 'string') return true;
          const end = Date.parse(value);
          const start = Date.parse(other);
          if (Number.isNaN(end) || Number.isNaN(start)) return true;
          return end > start && end - start <= maxDays * DAY_MS;
        },
        defaultMessage: buildMessage(
          (each) =>
            `${each}$property must be later than $constraint1 and at most $constraint2 days after it`,
          options,
        ),
      },
    },
    options,
  );
}
