import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect } from 'amqplib';
import { waitFor } from '@event-hub/testing';
import { REPO_ROOT } from './app-process';

const run = promisify(execFile);
const SERVICES = join(REPO_ROOT, 'tools/dev-services/services.sh');

/**
 * A RabbitMQ node of the test's own, started by `services.sh` on ports of the test's range, so a
 * test can stop and restart it (`rabbitmqctl stop_app` / `start_app`, as on the machine's node)
 * without touching the RabbitMQ every other run uses. Nothing answers at its URL before `up()`,
 * so `up()` also exercises services.sh's "start a local node" path.
 */
export class PrivateRabbitMq {
  readonly url: string;
  readonly node: string;
  private readonly env: NodeJS.ProcessEnv;

  /** `port` for AMQP; the node's Erlang distribution and its CLI take the next ten ports. */
  constructor(readonly port: number) {
    this.url = `amqp://guest:guest@127.0.0.1:${port}`;
    this.node = `eventhub-${port}@localhost`;
    this.env = {
      ...process.env,
      RABBITMQ_URL: this.url,
      DEV_RABBITMQ_DIST_PORT: String(port + 1),
      RABBITMQ_CTL_DIST_PORT_MIN: String(port + 2),
      RABBITMQ_CTL_DIST_PORT_MAX: String(port + 10),
    };
  }

  async up(): Promise<void> {
    await run('bash', [SERVICES, 'up', 'rabbitmq'], { env: this.env, timeout: 120000 });
  }

  /** Stops the node and deletes its data: the next `up()` starts from an empty node. */
  async reset(): Promise<void> {
    await run('bash', [SERVICES, 'reset', 'rabbitmq'], { env: this.env, timeout: 120000 });
  }

  /** RabbitMQ stops serving (connections closed, port shut); the Erlang node keeps running. */
  async stopApp(): Promise<void> {
    await this.ctl('stop_app');
  }

  /** RabbitMQ serves again; resolves once a client can connect. */
  async startApp(): Promise<void> {
    await this.ctl('start_app');
    await waitFor(() => this.answers(), {
      timeoutMs: 60000,
      intervalMs: 250,
      what: `RabbitMQ node ${this.node} to accept connections`,
    });
  }

  async answers(): Promise<boolean | undefined> {
    const connection = await connect(this.url).catch(() => undefined);
    await connection?.close();
    return connection ? true : undefined;
  }

  private async ctl(command: string): Promise<void> {
    await run('rabbitmqctl', ['-q', '-n', this.node, command], { env: this.env, timeout: 60000 });
  }
}
