import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createEnvelope, envelopeHeaders, TOPICS } from '@event-hub/contracts';
import { CoalescingProducer, KafkaProducer } from '@event-hub/kafka';
import type { PixKeyType } from '@event-hub/pix-data';
import { ProblemException } from '@event-hub/service-runtime';
import type { CommandOrigin } from '../../command-acceptance/command-acceptor';
import { isDatabaseUnavailable } from '../../command-acceptance/command-store';
import type { IdempotencyClaim } from '../../command-acceptance/idempotency';
import type { GatewayEnvironment } from '../../config/gateway.environment';
import { IdempotencyKeyReusedError } from '../../shared/http-errors';
import { endToEndId } from '../end-to-end-id';
import { checkPixKey } from '../pix-keys';
import { PixPaymentNotAcceptedError, PixPaymentStoreUnavailableError } from './pix-payment.errors';
import { PixPaymentRequests } from './pix-payment-requests';

export interface PaymentToAccept {
  origin: CommandOrigin;
  /** The raw Idempotency-Key (required) and the request's fingerprint. */
  idempotencyKey: string;
  claim: IdempotencyClaim;
  payerAccountId: string;
  receiverKey: { type: PixKeyType; value: string };
  amount: string;
  description: string | null;
}

export interface AcceptedPayment {
  paymentId: string;
  endToEndId: string;
  replayed: boolean;
}

/**
 * Turns `POST /pix/payments` into `pix.payment.requested`. The Idempotency-Key is remembered with
 * the payment id and end-to-end id before anything is produced; a retry with the same key and body
 * gets the same ids and produces the same request again (the processor records a payment id once),
 * so a client that got no answer, or a 503, retries safely and the payment settles once.
 *
 * Concurrent requests share their Postgres statement ({@link PixPaymentRequests}) and their produce
 * request (the service's idempotent producer, acks=all, through a {@link CoalescingProducer}, as the
 * usage meter does); each is answered 202 only once its own record was acknowledged.
 */
@Injectable()
export class PixPaymentAcceptor implements BeforeApplicationShutdown {
  private readonly logger = new Logger(PixPaymentAcceptor.name);
  private readonly topic: string;
  private readonly ispb: string;
  private readonly producer: CoalescingProducer;

  constructor(
    private readonly requests: PixPaymentRequests,
    kafka: KafkaProducer,
    config: ConfigService<GatewayEnvironment, true>,
  ) {
    this.topic = `${config.get('PIX_TOPIC_PREFIX')}${TOPICS.pixPaymentRequested}`;
    this.ispb = config.get('PIX_ISPB');
    this.producer = new CoalescingProducer(kafka.producer);
  }

  /** Requests already taken are produced (and answered) before the producer disconnects. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.producer.close();
  }

  async accept(payment: PaymentToAccept): Promise<AcceptedPayment> {
    const receiverKey = this.validKey(payment.receiverKey);
    if (!/[1-9]/.test(payment.amount)) {
      throw ProblemException.validation([
        { field: 'body.amount', message: 'amount must be more than zero' },
      ]);
    }
    const ids = await this.remember(payment);
    const envelope = createEnvelope({
      eventType: TOPICS.pixPaymentRequested,
      source: 'gateway',
      tenantId: payment.origin.tenantId,
      clientId: payment.origin.clientId,
      correlationId: ids.paymentId,
      data: {
        paymentId: ids.paymentId,
        endToEndId: ids.endToEndId,
        clientId: payment.origin.clientId,
        idempotencyKey: payment.idempotencyKey,
        payerAccountId: payment.payerAccountId,
        receiverKey,
        amount: payment.amount,
        description: payment.description,
      },
    });
    // The request's trace goes on in the record's headers, through every stage of the payment
    // (the coalescing producer injects the context of this call).
    const message = {
      // One payer's payments in order: antifraud judges them one after the other anyway.
      key: payment.payerAccountId,
      value: JSON.stringify(envelope),
      headers: envelopeHeaders(envelope, payment.origin.tenantId),
    };
    try {
      await this.producer.send(this.topic, message);
    } catch (error) {
      this.logger.warn(
        { err: error, paymentId: ids.paymentId },
        'pix.payment.requested not produced',
      );
      throw new PixPaymentNotAcceptedError(ids.paymentId);
    }
    return ids;
  }

  private validKey(key: { type: PixKeyType; value: string }): { type: PixKeyType; value: string } {
    const check = checkPixKey(key.type, key.value);
    if (!check.ok) {
      throw ProblemException.validation([
        { field: 'body.receiverKey.value', message: `receiverKey.value ${check.reason}` },
      ]);
    }
    return { type: key.type, value: check.value };
  }

  /** The ids of this key: new ones, or those of its first request when the body is the same. */
  private async remember(payment: PaymentToAccept): Promise<AcceptedPayment> {
    const fresh = {
      paymentId: randomUUID(),
      endToEndId: endToEndId(this.ispb, new Date()),
    };
    const remembered = await this.requests
      .remember({
        tenantId: payment.origin.tenantId,
        clientId: payment.origin.clientId,
        idempotencyKey: payment.idempotencyKey,
        requestHash: payment.claim.requestHash,
        paymentId: fresh.paymentId,
        endToEndId: fresh.endToEndId,
        payerAccountId: payment.payerAccountId,
      })
      .catch((error: unknown) => {
        // A client retries an outage with the same key; a bug in a statement stays a 500.
        if (!isDatabaseUnavailable(error)) throw error;
        this.logger.warn({ err: error }, 'payment request store unavailable; payment refused');
        throw new PixPaymentStoreUnavailableError(error);
      });
    switch (remembered.kind) {
      case 'unknown-payer':
        throw ProblemException.validation([
          {
            field: 'body.payerAccountId',
            message: 'payerAccountId is not an account of this tenant',
          },
        ]);
      case 'new':
        return { ...fresh, replayed: false };
      case 'known':
        if (remembered.requestHash !== payment.claim.requestHash) {
          throw new IdempotencyKeyReusedError();
        }
        return {
          paymentId: remembered.paymentId,
          endToEndId: remembered.endToEndId,
          replayed: true,
        };
    }
  }
}
