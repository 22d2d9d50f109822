import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';

/**
 * One confirm channel to RabbitMQ, opened on first use and again after the broker went away, with
 * the given topic exchanges declared (durable) on every (re)connection. Nothing connects before
 * the first {@link get}: an app that only sometimes publishes does not need the broker to start.
 */
export class RabbitChannel {
  private current?: Promise<ConfirmChannel>;
  private model?: ChannelModel;

  constructor(
    private readonly url: string,
    private readonly topicExchanges: readonly string[],
  ) {}

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
    for (const exchange of this.topicExchanges) {
      await channel.assertExchange(exchange, 'topic', { durable: true });
    }
    return channel;
  }
}
