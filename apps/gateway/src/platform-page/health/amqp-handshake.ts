import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { BrokerProbe } from './component-health';

/** AMQP 0-9-1's protocol header: what a client sends first on a new connection. */
const PROTOCOL_HEADER = Buffer.from([0x41, 0x4d, 0x51, 0x50, 0x00, 0x00, 0x09, 0x01]);
/** Type of a method frame: the broker answers the header with Connection.Start in one. */
const METHOD_FRAME = 1;

/**
 * Asks the broker at `url` to start an AMQP connection and hangs up at its first answer: a broker
 * that accepts TCP but cannot speak AMQP (starting, wedged) fails, and no credentials are needed.
 */
export function amqpHandshake(url: string, timeoutMs: number): Promise<BrokerProbe> {
  const target = new URL(url);
  const tls = target.protocol === 'amqps:';
  const port = Number(target.port || (tls ? 5671 : 5672));
  const host = target.hostname;
  return new Promise((resolve) => {
    const socket: Socket = tls
      ? connectTls({ host, port, servername: host })
      : connectTcp({ host, port });
    const finish = (probe: BrokerProbe) => {
      socket.destroy();
      resolve(probe);
    };
    socket.setTimeout(timeoutMs, () =>
      finish({ configured: true, up: false, error: `no AMQP answer within ${timeoutMs} ms` }),
    );
    socket.once(tls ? 'secureConnect' : 'connect', () => socket.write(PROTOCOL_HEADER));
    socket.once('data', (chunk: Buffer) =>
      finish(
        chunk[0] === METHOD_FRAME
          ? { configured: true, up: true }
          : {
              configured: true,
              up: false,
              error: 'the answer is not an AMQP 0-9-1 Connection.Start',
            },
      ),
    );
    socket.once('error', (error) => finish({ configured: true, up: false, error: error.message }));
    socket.once('end', () =>
      finish({ configured: true, up: false, error: 'the connection closed before an answer' }),
    );
  });
}
