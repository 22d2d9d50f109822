import type { ConfirmChannel } from 'amqplib';
import { publishConfirmed, type AmqpMessage } from './publish-confirmed';

type Confirm = (error: unknown) => void;

/** A confirm channel that hands each publish's confirm callback to the test (RabbitMQ's part). */
function fakeChannel(onPublish: (confirm: Confirm) => void): ConfirmChannel {
  return {
    publish: (_e: string, _k: string, _c: Buffer, _o: unknown, confirm: Confirm) => {
      onPublish(confirm);
      return true;
    },
  } as unknown as ConfirmChannel;
}

const message: AmqpMessage = {
  exchange: 'pix',
  routingKey: 'pix.payment.settled',
  content: Buffer.from('{}'),
  options: { persistent: true },
};

describe('publishConfirmed', () => {
  it('resolves once RabbitMQ acked the message', async () => {
    await expect(
      publishConfirmed(
        fakeChannel((confirm) => setImmediate(() => confirm(null))),
        message,
        1000,
      ),
    ).resolves.toBeUndefined();
  });

  it('rejects on a nack or a channel closed before the confirm', async () => {
    await expect(
      publishConfirmed(
        fakeChannel((confirm) => confirm(new Error('message nacked'))),
        message,
        1000,
      ),
    ).rejects.toThrow('message nacked');
    const closed = {
      publish: () => {
        throw new Error('Channel closed');
      },
    } as unknown as ConfirmChannel;
    await expect(publishConfirmed(closed, message, 1000)).rejects.toThrow('Channel closed');
  });

  it('rejects when no confirm comes in time', async () => {
    await expect(
      publishConfirmed(
        fakeChannel(() => undefined),
        message,
        20,
      ),
    ).rejects.toThrow('RabbitMQ did not confirm within 20 ms');
  });
});
