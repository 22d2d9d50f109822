import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect } from 'amqplib';

const run = promisify(execFile);
const SCRIPT = join(__dirname, 'services.sh');

/** Ports of this spec's own node (AMQP, then its Erlang distribution and CLI ports). */
const PORT = 18730;
const NODE = `eventhub-${PORT}@localhost`;
const URL = `amqp://guest:guest@127.0.0.1:${PORT}`;
const env = {
  ...process.env,
  RABBITMQ_URL: URL,
  DEV_RABBITMQ_DIST_PORT: String(PORT + 1),
  RABBITMQ_CTL_DIST_PORT_MIN: String(PORT + 2),
  RABBITMQ_CTL_DIST_PORT_MAX: String(PORT + 10),
};

async function services(
  args: string[],
  extra: Record<string, string> = {},
): Promise<{ ok: boolean; out: string }> {
  try {
    const { stdout, stderr } = await run('bash', [SCRIPT, ...args], {
      env: { ...env, ...extra },
      timeout: 120000,
    });
    return { ok: true, out: stdout + stderr };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string };
    return { ok: false, out: failed.stdout + failed.stderr };
  }
}

const rabbitLine = async (extra: Record<string, string> = {}) =>
  (await services(['status'], extra)).out.split('\n').find((l) => l.startsWith('rabbitmq')) ?? '';

/**
 * services.sh and RabbitMQ, on ports of this spec only: nothing answers at its RABBITMQ_URL, so
 * `up` starts a project-local node of Debian's rabbitmq-server, and `down` stops that node. The
 * machine's RabbitMQ (the default RABBITMQ_URL) is only looked at, never stopped.
 */
describe('services.sh rabbitmq', () => {
  afterAll(async () => {
    await services(['reset', 'rabbitmq']);
  });

  it('starts a local node when nothing answers at RABBITMQ_URL, and stops only that node', async () => {
    expect(await rabbitLine()).toMatch(/^rabbitmq\s+stopped\s/);

    const up = await services(['up', 'rabbitmq']);
    expect(up).toEqual({
      ok: true,
      out: expect.stringContaining(`rabbitmq: ready (local node ${NODE}) on 127.0.0.1:${PORT}`),
    });
    const connection = await connect(URL);
    await connection.close();
    expect((await services(['up', 'rabbitmq'])).out).toContain('rabbitmq: already running');
    expect(await rabbitLine()).toMatch(
      new RegExp(`^rabbitmq\\s+running\\s+pid \\d+.*local node ${NODE}`),
    );

    const down = await services(['down', 'rabbitmq']);
    expect(down.out).toMatch(new RegExp(`rabbitmq: stopped local node ${NODE} \\(was pid \\d+\\)`));
    expect(await rabbitLine()).toMatch(/^rabbitmq\s+stopped\s/);
    await expect(connect(URL)).rejects.toThrow();
  });

  it('reports a RabbitMQ it did not start as external, not managed by services.sh', async () => {
    const machine = { RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672' };
    expect(await rabbitLine(machine)).toMatch(
      /^rabbitmq\s+running \(external\).*127\.0\.0\.1:5672\s+not managed by services\.sh/,
    );
  });

  it('refuses a port held by something that does not speak AMQP, naming it', async () => {
    const server: Server = createServer((socket) => {
      socket.on('error', () => undefined); // the probe hangs up abruptly
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    });
    await new Promise<void>((resolve) => server.listen(PORT + 5, '127.0.0.1', resolve));
    try {
      const up = await services(['up', 'rabbitmq'], {
        RABBITMQ_URL: `amqp://127.0.0.1:${PORT + 5}`,
      });
      expect(up.ok).toBe(false);
      expect(up.out).toContain(`rabbitmq: port ${PORT + 5} is taken but does not answer AMQP`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses a RABBITMQ_URL it cannot parse, naming the variable', async () => {
    const status = await services(['status'], { RABBITMQ_URL: 'rabbit://nowhere' });
    expect(status.ok).toBe(false);
    expect(status.out).toContain('cannot parse RABBITMQ_URL');
  });
});
