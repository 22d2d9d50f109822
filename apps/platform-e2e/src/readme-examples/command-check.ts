import { capturedValues, mismatches } from './answer-pattern';
import type { ExpectedAnswer } from './documented-answer';
import type { ReadmeCommand } from './markdown-examples';
import type { ShellAnswer } from './reader-shell';

/**
 * How the README's world maps onto the test's, each pair [as the README writes it, as the test
 * has it], so the README and its answers read as they do for a reader.
 */
export interface Deployment {
  /** Translated in commands and back in answers: the apps' hosts and ports, the test's topics. */
  names: [string, string][];
  /** Translated back in answers only: the demo tenant's id (commands take it from the client file). */
  answerNames: [string, string][];
}

const replaceAll = (text: string, pairs: [string, string][]): string =>
  pairs.reduce((result, [from, to]) => result.split(from).join(to), text);

export const toTest = (text: string, deployment: Deployment): string =>
  replaceAll(text, deployment.names);

export const fromTest = (text: string, deployment: Deployment): string =>
  replaceAll(
    text,
    [...deployment.names, ...deployment.answerNames].map(([readme, test]): [string, string] => [
      test,
      readme,
    ]),
  );

/** Fills `<name>` placeholders with the values earlier answers showed under that key. */
export function fillPlaceholders(text: string, captured: ReadonlyMap<string, string>): string {
  return text.replace(/<([A-Za-z][A-Za-z0-9]*)>/g, (placeholder, name: string) => {
    const value = captured.get(name);
    if (value === undefined) {
      throw new Error(`${placeholder}: no earlier answer showed a "${name}" to fill it with`);
    }
    return value;
  });
}

/** A command that only reads (GET, no body): a reader may run it again until the answer is in. */
export function isRead(command: string): boolean {
  const method = /(?:^|\s)(?:-X|--request)\s*'?"?([A-Za-z]+)/.exec(command)?.[1];
  const body = /(?:^|\s)(?:-d|--data(?:-\w+)?|-F|--form|-T|--upload-file)\b/.test(command);
  return (method === undefined || method.toUpperCase() === 'GET') && !body;
}

/** The body of what curl printed: after the headers when `-i` printed them. */
function bodyOf(stdout: string): unknown {
  const headersEnd = stdout.startsWith('HTTP/') ? /\r?\n\r?\n/.exec(stdout) : null;
  const body = (headersEnd ? stdout.slice(headersEnd.index + headersEnd[0].length) : stdout).trim();
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

const success = (status: number): boolean => status >= 200 && status < 300;

export interface CommandVerdict {
  problems: string[];
  /** Values the answer showed, for later placeholders (when it matched). */
  captured: Map<string, string>;
}

function judgeAlternative(expected: ExpectedAnswer, answer: ShellAnswer): CommandVerdict {
  const status = answer.httpStatuses.at(-1);
  const problems: string[] = [];
  if (status === undefined) problems.push('no HTTP answer');
  else if (expected.status !== undefined && status !== expected.status) {
    problems.push(`HTTP ${status}, the README shows ${expected.status}`);
  } else if (expected.status === undefined && !success(status)) {
    problems.push(`HTTP ${status}`);
  }
  const body = bodyOf(answer.stdout);
  if (expected.body) {
    if (body === undefined) problems.push('the answer is not JSON');
    else problems.push(...mismatches(expected.body, body));
  }
  return {
    problems,
    captured:
      problems.length === 0 && expected.body ? capturedValues(expected.body, body) : new Map(),
  };
}

/**
 * Whether a command answered what the README shows: the exit code 0, every curl call 2xx unless
 * an answer says otherwise, and one of the documented answers matched.
 */
export function judge(command: ReadmeCommand, answer: ShellAnswer): CommandVerdict {
  const base: string[] = [];
  if (answer.exitCode !== 0) base.push(`exit code ${answer.exitCode}`);
  const documented = command.answer?.alternatives ?? [];
  if (documented.length === 0) {
    const failed = answer.httpStatuses.filter((status) => !success(status));
    if (failed.length > 0) base.push(`HTTP ${failed.join(', ')}`);
    return { problems: base, captured: new Map() };
  }
  const verdicts = documented.map((expected) => judgeAlternative(expected, answer));
  const matched = verdicts.find((verdict) => verdict.problems.length === 0);
  if (matched) return { problems: base, captured: matched.captured };
  const why =
    verdicts.length === 1
      ? (verdicts[0]?.problems ?? [])
      : verdicts.map((verdict, i) => `answer ${i + 1}: ${verdict.problems.join('; ')}`);
  return {
    problems: [...base, ...why],
    captured: new Map(),
  };
}
