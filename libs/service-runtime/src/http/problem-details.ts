/** RFC 9457 problem details, the body of every error answer. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** Stable machine-readable code, e.g. `VALIDATION_FAILED`, `USER.NOT_FOUND`. */
  code: string;
  /** One entry per bad field, for validation failures. */
  errors?: FieldError[];
  [extension: string]: unknown;
}

export interface FieldError {
  /** Dotted path of the field in the request, e.g. `body.email`, `query.pageSize`. */
  field: string;
  message: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE = 'https://event-hub.dev/problems/';

/** The answer to an unexpected error: nothing about its cause leaks to the caller. */
export function internalErrorProblem(): ProblemDetails {
  return {
    type: `${PROBLEM_TYPE_BASE}internal-error`,
    title: 'Internal server error',
    status: 500,
    code: 'INTERNAL_ERROR',
  };
}
