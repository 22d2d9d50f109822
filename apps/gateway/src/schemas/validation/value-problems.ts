import type { ErrorObject } from 'ajv';
import type { RecordValueProblem } from '../record-value-validator';

/** Problems reported per record at most: a deeply wrong value would otherwise flood the answer. */
export const MAX_PROBLEMS_PER_RECORD = 10;

const escapePointer = (name: string): string => name.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * ajv's errors of one record as problems whose path is the JSON Pointer of the failing value: for
 * a missing or unexpected property that is the property itself (ajv points at its parent).
 */
export function valueProblems(index: number, errors: readonly ErrorObject[]): RecordValueProblem[] {
  return errors.slice(0, MAX_PROBLEMS_PER_RECORD).map((error) => {
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'required' && typeof params['missingProperty'] === 'string') {
      return {
        index,
        path: `${error.instancePath}/${escapePointer(params['missingProperty'])}`,
        message: 'is required',
      };
    }
    if (
      error.keyword === 'additionalProperties' &&
      typeof params['additionalProperty'] === 'string'
    ) {
      return {
        index,
        path: `${error.instancePath}/${escapePointer(params['additionalProperty'])}`,
        message: 'is not allowed (additionalProperties is false)',
      };
    }
    return { index, path: error.instancePath, message: error.message ?? error.keyword };
  });
}
