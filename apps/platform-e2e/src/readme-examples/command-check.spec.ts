import { parseDocumentedAnswer } from './documented-answer';
import { fillPlaceholders, fromTest, isRead, judge, toTest } from './command-check';
import type { ReadmeCommand } from './markdown-examples';
import type { ShellAnswer } from './reader-shell';

const command = (text: string, answer?: string): ReadmeCommand => ({
  line: 1,
  text,
  ...(answer === undefined ? {} : { answer: parseDocumentedAnswer(answer) }),
});
const printed = (stdout: string, ...httpStatuses: number[]): ShellAnswer => ({
  exitCode: 0,
  stdout,
  stderr: '',
  httpStatuses,
});

describe('checking a README command', () => {
  it('passes an answer matching the documented status and body, and keeps the values it shows', () => {
    const create = command('curl -i -X POST localhost:8000/users', '202 {"correlationId":"…",…}');
    const answer = printed(
      'HTTP/1.1 202 Accepted\r\nlocation: /status/c-1\r\n\r\n{"correlationId":"c-1","status":"PENDING"}',
      202,
    );
    const verdict = judge(create, answer);
    expect(verdict.problems).toEqual([]);
    expect(Object.fromEntries(verdict.captured)).toEqual({ correlationId: 'c-1' });
  });

  it('fails another status, and an undocumented answer that is not 2xx', () => {
    const create = command('curl -i -X POST localhost:8000/users', '202 {"correlationId":"…",…}');
    expect(
      judge(create, printed('HTTP/1.1 400 Bad Request\r\n\r\n{"code":"x"}', 400)).problems,
    ).toEqual(['HTTP 400, the README shows 202', '$.correlationId: missing']);
    expect(
      judge(command('curl -X PUT localhost:8000/x'), printed('{}', 202, 422)).problems,
    ).toEqual(['HTTP 422']);
  });

  it('passes when any of the alternatives matches, and says why none did', () => {
    const status = command(
      'curl localhost:8000/status/x',
      '{"status":"COMPLETED",…} or {"status":"FAILED",…}',
    );
    expect(judge(status, printed('{"status":"FAILED"}', 200)).problems).toEqual([]);
    expect(judge(status, printed('{"status":"PENDING"}', 200)).problems).toEqual([
      'answer 1: $.status: "PENDING" is not "COMPLETED"',
      'answer 2: $.status: "PENDING" is not "FAILED"',
    ]);
  });

  it('fails a command that exits non-zero or calls nothing when an answer is documented', () => {
    expect(judge(command('false'), { ...printed(''), exitCode: 1 }).problems).toEqual([
      'exit code 1',
    ]);
    expect(judge(command('true', '200'), printed('')).problems).toEqual(['no HTTP answer']);
  });

  it('fills placeholders from earlier answers and refuses one nothing showed', () => {
    const captured = new Map([['userId', 'u-1']]);
    expect(fillPlaceholders('curl localhost:8000/users/<userId>', captured)).toBe(
      'curl localhost:8000/users/u-1',
    );
    expect(() => fillPlaceholders('curl localhost:8000/status/<correlationId>', captured)).toThrow(
      /<correlationId>/,
    );
  });

  it('treats only bodiless GETs as reads a reader may repeat', () => {
    expect(isRead("curl 'localhost:8000/users?email=a'")).toBe(true);
    expect(isRead('curl -X GET localhost:8000/users')).toBe(true);
    expect(isRead("curl -X POST localhost:8000/users -d '{}'")).toBe(false);
    expect(isRead('curl localhost:8000/oauth/token -d grant_type=client_credentials')).toBe(false);
  });

  it("translates the README's names to the test deployment's and its answers back", () => {
    const deployment = {
      names: [['localhost:8000', '127.0.0.1:18320']] as [string, string][],
      answerNames: [['demo', 'readme-t1']] as [string, string][],
    };
    expect(toTest("curl 'localhost:8000/x?f=demo-client.json'", deployment)).toBe(
      "curl '127.0.0.1:18320/x?f=demo-client.json'",
    );
    expect(fromTest('{"url":"127.0.0.1:18320/x","tenant":"readme-t1"}', deployment)).toBe(
      '{"url":"localhost:8000/x","tenant":"demo"}',
    );
  });
});
