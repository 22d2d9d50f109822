import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { PIX_EXCHANGE } from '@event-hub/contracts';

/**
 * One confirm channel to RabbitMQ, opened on first use and again after the broker went away, with
 * the `pix` exchange declared on every (re)connection.
 */
export class RabbitChannel {
  private current?: Promise<ConfirmChannel>;
  private model?: ChannelModel;

  constructor(private readonly url: string) {}

  get(): Promise<ConfirmChannel> {
    this.current ??= this.open().catch((error: unknown) => {
      this.current = undefined;
      throw error;
    });
    return this.current;
  }

  async close(): Promise<void> {
    const model = this.model;
    this.current = undefined;
    this.model = undefined;
    await model?.close().catch(() => undefined);
  }

  private async open(): Promise<ConfirmChannel> {
    const model = await connect(this.url);
    this.model = model;
    const forget = () => {
      if (this.model === model) {
        this.current = undefined;
        this.model = undefined;
      }
    };
    model.on('close', forget);
    model.on('error', forget);
    const channel = await model.createConfirmChannel();
    channel.on('close', forget);
    channel.on('error', forget);
    await channel.assertExchange(PIX_EXCHANGE, 'topic', { durable: true });
    return channel;
  }
}
