/** Why one record of a batch does not conform to its topic's schema. */
export interface RecordValueProblem {
  /** Index of the record in the request (0 for a single record). */
  index: number;
  /** JSON Pointer of the failing value inside the record's `value`, e.g. `/amount`. */
  path: string;
  message: string;
}

/** Validates produced values against the latest version of a tenant's subject. */
export abstract class RecordValueValidator {
  /** Every problem of the batch; empty when all values conform. */
  abstract validate(
    tenantId: string,
    subject: string,
    values: readonly unknown[],
  ): Promise<RecordValueProblem[]>;
}
