import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Span } from '@opentelemetry/api';
import {
  envelopeHeaders,
  JSON_CONTENT_TYPE,
  PIX_EXCHANGE,
  type PixRoutingKey,
  type PixStageTopic,
  TOPICS,
} from '@event-hub/contracts';
import { ACKS_ALL, KafkaProducer, sendSpans, traceForSend } from '@event-hub/kafka';
import { injectTraceHeaders } from '@event-hub/observability';
import { publishConfirmed, RabbitChannel } from '@event-hub/rabbitmq';
import type { GatewayEnvironment } from '../../config/gateway.environment';
import { PixEventNotPublishedError } from './pix-event.errors';
import type { PixEvent } from './pix-event-validation';

export interface PublishedToKafka {
  topic: string;
  partition: number;
  offset: string;
}

export interface PublishedToExchange {
  exchange: string;
  routingKey: string;
}

/** How long an operator waits for RabbitMQ's confirm before the answer is 503. */
const CONFIRM_TIMEOUT_MS = 5000;

/**
 * The record key the platform gives each stage topic: the payer account for requests (one payer's
 * payments in order, as `POST /pix/payments` does), the subject for audit entries, the payment
 * otherwise. The schema has made sure the field is there.
 */
function kafkaKeyOf(topic: PixStageTopic, event: PixEvent): string {
  const field =
    topic === TOPICS.pixPaymentRequested
      ? 'payerAccountId'
      : topic === TOPICS.pixAuditLog
        ? 'subjectId'
        : 'paymentId';
  return String(event.data[field]);
}

/** Produces an operator's event to a PIX stage topic (PIX_TOPIC_PREFIX applies) with acks=all. */
@Injectable()
export class PixKafkaPublisher {
  private readonly logger = new Logger(PixKafkaPublisher.name);
  private readonly topicPrefix: string;

  constructor(
    @Inject(KafkaProducer) private readonly producer: KafkaProducer,
    config: ConfigService<GatewayEnvironment, true>,
  ) {
    this.topicPrefix = config.get('PIX_TOPIC_PREFIX');
  }

  async publish(topic: PixStageTopic, event: PixEvent): Promise<PublishedToKafka> {
    const name = `${this.topicPrefix}${topic}`;
    const spans: Span[] = [];
    const message = traceForSend(
      name,
      {
        key: kafkaKeyOf(topic, event),
        value: JSON.stringify(event),
        headers: envelopeHeaders(event, event.tenantId),
      },
      spans,
    );
    const sent = sendSpans(spans);
    try {
      const [metadata] = await this.producer.producer.send({
        topic: name,
        acks: ACKS_ALL,
        messages: [message],
      });
      sent.end();
      if (!metadata) throw new Error('Kafka answered without the record’s metadata');
      return { topic: name, partition: metadata.partition, offset: metadata.baseOffset ?? '' };
    } catch (error) {
      sent.end(error);
      this.logger.warn({ err: error, topic: name }, 'operator PIX event not produced');
      throw new PixEventNotPublishedError('Kafka', describe(error));
    }
  }
}

/**
 * Publishes an operator's event to the `pix` exchange as the processor's notification relay does:
 * persistent, message id = event id, and answered only once RabbitMQ confirmed it. Connects on
 * first use: the gateway starts and serves without RabbitMQ.
 */
@Injectable()
export class PixExchangePublisher implements OnModuleDestroy {
  private readonly logger = new Logger(PixExchangePublisher.name);
  private readonly channel: RabbitChannel;

  constructor(config: ConfigService<GatewayEnvironment, true>) {
    this.channel = new RabbitChannel(config.get('RABBITMQ_URL'), [PIX_EXCHANGE]);
  }

  async publish(routingKey: PixRoutingKey, event: PixEvent): Promise<PublishedToExchange> {
    try {
      await publishConfirmed(
        await this.channel.get(),
        {
          exchange: PIX_EXCHANGE,
          routingKey,
          content: Buffer.from(JSON.stringify(event)),
          options: {
            persistent: true,
            contentType: JSON_CONTENT_TYPE,
            messageId: event.eventId,
            correlationId: event.metadata.correlationId,
            headers: injectTraceHeaders(envelopeHeaders(event, event.tenantId)),
          },
        },
        CONFIRM_TIMEOUT_MS,
      );
    } catch (error) {
      this.logger.warn({ err: error, routingKey }, 'operator PIX event not confirmed by RabbitMQ');
      throw new PixEventNotPublishedError('RabbitMQ', describe(error));
    }
    return { exchange: PIX_EXCHANGE, routingKey };
  }

  async onModuleDestroy(): Promise<void> {
    await this.channel.close();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
