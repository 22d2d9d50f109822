import type { ConfirmChannel, Options } from 'amqplib';

export interface AmqpMessage {
  exchange: string;
  routingKey: string;
  content: Buffer;
  options: Options.Publish;
}

/**
 * Publishes one message on a confirm channel and settles when RabbitMQ confirmed it: resolves on
 * the ack, rejects on a nack, on the channel closing first, or when no confirm came within
 * `timeoutMs` (the message may still arrive: the caller says so instead of claiming it did).
 * Only this message's confirm is awaited, so concurrent callers on one channel do not wait for
 * each other's messages as `waitForConfirms` would make them.
 */
export function publishConfirmed(
  channel: ConfirmChannel,
  message: AmqpMessage,
  timeoutMs: number,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`RabbitMQ did not confirm within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const settle = (error: unknown) => {
      clearTimeout(timer);
      if (error === null || error === undefined) resolve();
      else reject(error instanceof Error ? error : new Error(String(error)));
    };
    try {
      channel.publish(
        message.exchange,
        message.routingKey,
        message.content,
        message.options,
        settle,
      );
    } catch (error) {
      // A channel that closed meanwhile throws instead of calling back.
      settle(error);
    }
  });
}
