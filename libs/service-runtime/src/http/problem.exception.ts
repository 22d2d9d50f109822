import { HttpException } from '@nestjs/common';
import { PROBLEM_TYPE_BASE, type FieldError, type ProblemDetails } from './problem-details';

/** An HTTP error that carries its problem details; the filter renders it as-is. */
export class ProblemException extends HttpException {
  readonly problem: ProblemDetails;

  constructor(
    status: number,
    code: string,
    title: string,
    detail?: string,
    extensions: Record<string, unknown> = {},
  ) {
    const problem: ProblemDetails = {
      type: `${PROBLEM_TYPE_BASE}${code.toLowerCase().replace(/[._]/g, '-')}`,
      title,
      status,
      code,
      ...(detail === undefined ? {} : { detail }),
      ...extensions,
    };
    super(problem, status);
    this.problem = problem;
  }

  static validation(errors: FieldError[]): ProblemException {
    const fields = errors.map((e) => e.field).join(', ');
    return new ProblemException(
      400,
      'VALIDATION_FAILED',
      'Request validation failed',
      `Invalid: ${fields}`,
      {
        errors,
      },
    );
  }
}
