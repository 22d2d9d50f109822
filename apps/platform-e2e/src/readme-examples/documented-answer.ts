import { parsePattern, type AnswerPattern } from './answer-pattern';

/** One answer a README shows for a command: an HTTP status, a body pattern, or both. */
export interface ExpectedAnswer {
  status?: number;
  body?: AnswerPattern;
}

/**
 * What a README's `# → …` comment says a command answers: `202 {…}`, `{…}`, `200`, followed by
 * prose the reader reads and the runner skips, and possibly `or` another answer
 * (`{"status":"COMPLETED",…} or {"status":"FAILED",…}`).
 */
export interface DocumentedAnswer {
  text: string;
  alternatives: ExpectedAnswer[];
}

export class AnswerSyntaxError extends Error {}

/** A status or a body, at `at` (leading spaces skipped); undefined when neither starts there. */
function answerAt(text: string, at: number): { answer: ExpectedAnswer; end: number } | undefined {
  const head = /^\s*(?:(\d{3})(?![\d.]))?\s*/.exec(text.slice(at));
  const status = head?.[1] === undefined ? undefined : Number(head[1]);
  const bodyAt = at + (head?.[0].length ?? 0);
  const opens = text.charAt(bodyAt) === '{' || text.charAt(bodyAt) === '[';
  if (!opens) {
    return status === undefined
      ? undefined
      : { answer: { status }, end: at + (head?.[0].length ?? 0) };
  }
  const { pattern, end } = parsePattern(text, bodyAt);
  return { answer: status === undefined ? { body: pattern } : { status, body: pattern }, end };
}

/** Parses the text after `→` (its continuation lines joined with spaces). */
export function parseDocumentedAnswer(text: string): DocumentedAnswer {
  const alternatives: ExpectedAnswer[] = [];
  let at = 0;
  for (;;) {
    const found = answerAt(text, at);
    if (!found) {
      throw new AnswerSyntaxError(
        `an answer starts with a status or a JSON body: ${JSON.stringify(text.slice(at))}`,
      );
    }
    alternatives.push(found.answer);
    // Prose follows; another answer only after an `or` that a status or body follows.
    const or = /\bor\s+(?=(?:\d{3}(?![\d.])\s*)?[{[]|\d{3}(?![\d.]))/.exec(text.slice(found.end));
    if (!or) return { text, alternatives };
    at = found.end + or.index + or[0].length;
  }
}
