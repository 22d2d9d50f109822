import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReaderShell } from './reader-shell';

describe("the reader's shell", () => {
  let server: Server;
  let url: string;
  let cwd: string;
  let shell: ReaderShell;

  beforeAll(async () => {
    // Answers 201 with the Authorization header it got, or 401 without one.
    server = createServer((request, response) => {
      const authorization = request.headers.authorization;
      response.writeHead(authorization ? 201 : 401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ authorization: authorization ?? null }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = typeof address === 'object' && address ? `127.0.0.1:${address.port}` : '';
    cwd = await mkdtemp(join(tmpdir(), 'reader-shell-spec-'));
    shell = await ReaderShell.open(cwd);
  });

  afterAll(async () => {
    await shell.close();
    await new Promise((resolve) => server.close(resolve));
    await rm(cwd, { recursive: true, force: true });
  });

  it('keeps what one command defines for the next ones, aliases included', async () => {
    await shell.run('TOKEN=t-1', 5000);
    await shell.run(`alias curl='curl -H "Authorization: Bearer $TOKEN"'`, 5000);
    const answer = await shell.run(`curl -s ${url}/x`, 5000);
    expect(answer.stdout).toBe('{"authorization":"Bearer t-1"}');
  });

  it('reports the HTTP status of each curl call, apart from what it printed', async () => {
    const answer = await shell.run(`curl -s ${url}/a\nunalias curl\ncurl -s ${url}/b`, 5000);
    expect(answer.httpStatuses).toEqual([201, 401]);
    expect(answer.stdout).toBe('{"authorization":"Bearer t-1"}{"authorization":null}');
    expect(answer.stderr).toBe('');
  });

  it('gives the exit code of a command that fails, and its error output', async () => {
    const answer = await shell.run('echo oops >&2; false', 5000);
    expect(answer).toMatchObject({ exitCode: 1, stderr: 'oops', httpStatuses: [] });
  });

  it('gives up on a command that does not finish in time', async () => {
    const slow = await mkdtemp(join(tmpdir(), 'reader-shell-slow-'));
    const own = await ReaderShell.open(slow);
    try {
      await expect(own.run('sleep 5', 200)).rejects.toThrow(/no answer within 200 ms/);
    } finally {
      await own.close();
      await rm(slow, { recursive: true, force: true });
    }
  });
});
