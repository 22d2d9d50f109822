import { mismatches } from './answer-pattern';
import type { ExpectedAnswer } from './documented-answer';
import { AnswerSyntaxError, parseDocumentedAnswer } from './documented-answer';

/** How far a body is from an answer's body pattern (an answer without one shows no body). */
const differences = (answer: ExpectedAnswer | undefined, body: unknown): number =>
  answer?.body ? mismatches(answer.body, body).length : Number.NaN;

describe('a documented answer', () => {
  it('is a status and a body, with prose after them', () => {
    const { alternatives } = parseDocumentedAnswer('202 {"status":"PENDING"} (also in Location)');
    expect(alternatives).toHaveLength(1);
    expect(alternatives[0]?.status).toBe(202);
    expect(differences(alternatives[0], { status: 'PENDING' })).toBe(0);
  });

  it('may be a body alone or a status alone', () => {
    expect(parseDocumentedAnswer('{"a":1}').alternatives[0]?.status).toBeUndefined();
    expect(parseDocumentedAnswer('204 (nothing to read)').alternatives).toEqual([{ status: 204 }]);
  });

  it('may offer alternatives joined by "or"', () => {
    const { alternatives } = parseDocumentedAnswer(
      '{"status":"COMPLETED",…} or {"status":"FAILED",…} (or any error listed below)',
    );
    expect(alternatives.map((answer) => differences(answer, { status: 'FAILED' }))).toEqual([1, 0]);
  });

  it('refuses prose alone, which the runner could not check', () => {
    expect(() => parseDocumentedAnswer('the user, with its subscriptions')).toThrow(
      AnswerSyntaxError,
    );
  });
});
