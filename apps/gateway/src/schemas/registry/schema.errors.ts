import { GatewayError } from '../../shared/http-errors';

/** Also what another tenant's subject and a malformed subject name answer. */
export class SchemaSubjectNotFoundError extends GatewayError {
  readonly code = 'SCHEMA.SUBJECT_NOT_FOUND';
  readonly status = 404;
  readonly title = 'Schema subject not found';
  constructor(subject: string) {
    super(`No schema subject named ${JSON.stringify(subject)}`);
  }
}

export class SchemaVersionNotFoundError extends GatewayError {
  readonly code = 'SCHEMA.VERSION_NOT_FOUND';
  readonly status = 404;
  readonly title = 'Schema version not found';
  constructor(subject: string, version: string) {
    super(`Subject ${JSON.stringify(subject)} has no version ${version}`);
  }
}

/** 422: not a JSON Schema this registry can hold (ajv refused it, or it is too large). */
export class InvalidSchemaError extends GatewayError {
  readonly code = 'SCHEMA.INVALID';
  readonly status = 422;
  readonly title = 'Invalid JSON Schema';
  constructor(problem: string) {
    super(
      `The schema is not a valid JSON Schema (draft-07, ajv's default dialect, unknown keywords refused): ${problem}`,
    );
    this.extensions['problem'] = problem;
  }
}

/** 409: the schema would break consumers of the subject; `reasons` lists each finding. */
export class IncompatibleSchemaError extends GatewayError {
  readonly code = 'SCHEMA.INCOMPATIBLE';
  readonly status = 409;
  readonly title = 'Schema incompatible with the latest version';
  constructor(subject: string, latestVersion: number, reasons: string[]) {
    super(
      `Not BACKWARD compatible with version ${latestVersion} of ${JSON.stringify(subject)}: ${reasons.join('; ')}`,
    );
    this.extensions['subject'] = subject;
    this.extensions['latestVersion'] = latestVersion;
    this.extensions['compatibility'] = 'BACKWARD';
    this.extensions['reasons'] = reasons;
  }
}
