import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { createEnvelope, EVENT_HEADERS, JSON_CONTENT_TYPE, TOPICS } from '@event-hub/contracts';
import type { Span } from '@opentelemetry/api';
import { ACKS_ALL, encodeHeaders, KafkaProducer, sendSpans, traceForSend } from '@event-hub/kafka';
import type { PixKeyType } from '@event-hub/pix-data';
import { ProblemException } from '@event-hub/service-runtime';
import type { CommandOrigin } from '../../command-acceptance/command-acceptor';
import type { IdempotencyClaim } from '../../command-acceptance/idempotency';
import type { GatewayEnvironment } from '../../config/gateway.environment';
import { IdempotencyKeyReusedError } from '../../shared/http-errors';
import { endToEndId } from '../end-to-end-id';
import { checkPixKey } from '../pix-keys';
import { PixPaymentNotAcceptedError } from './pix-payment.errors';

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

interface RememberedRequest {
  request_hash: string;
  payment_id: string;
  end_to_end_id: string;
}

/**
 * Turns `POST /pix/payments` into `pix.payment.requested`. The Idempotency-Key is remembered with
 * the payment id and end-to-end id before anything is produced; a retry with the same key and body
 * gets the same ids and produces the same request again (the processor records a payment id once),
 * so a client that got no answer, or a 503, retries safely and the payment settles once.
 */
@Injectable()
export class PixPaymentAcceptor {
  private readonly logger = new Logger(PixPaymentAcceptor.name);
  private readonly topic: string;
  private readonly ispb: string;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(KafkaProducer) private readonly producer: KafkaProducer,
    config: ConfigService<GatewayEnvironment, true>,
  ) {
    this.topic = `${config.get('PIX_TOPIC_PREFIX')}${TOPICS.pixPaymentRequested}`;
    this.ispb = config.get('PIX_ISPB');
  }

  async accept(payment: PaymentToAccept): Promise<AcceptedPayment> {
    const receiverKey = this.validKey(payment.receiverKey);
    if (!/[1-9]/.test(payment.amount)) {
      throw ProblemException.validation([
        { field: 'body.amount', message: 'amount must be more than zero' },
      ]);
    }
    await this.assertPayerAccount(payment.origin.tenantId, payment.payerAccountId);
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
    // The request's trace goes on in the record's headers, through every stage of the payment.
    const spans: Span[] = [];
    const message = traceForSend(
      this.topic,
      {
        // One payer's payments in order: antifraud judges them one after the other anyway.
        key: payment.payerAccountId,
        value: JSON.stringify(envelope),
        headers: encodeHeaders({
          [EVENT_HEADERS.correlationId]: ids.paymentId,
          [EVENT_HEADERS.eventType]: envelope.eventType,
          [EVENT_HEADERS.eventId]: envelope.eventId,
          [EVENT_HEADERS.tenantId]: payment.origin.tenantId,
          [EVENT_HEADERS.contentType]: JSON_CONTENT_TYPE,
        }),
      },
      spans,
    );
    const sent = sendSpans(spans);
    try {
      await this.producer.producer.send({ topic: this.topic, acks: ACKS_ALL, messages: [message] });
      sent.end();
    } catch (error) {
      sent.end(error);
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

  private async assertPayerAccount(tenantId: string, accountId: string): Promise<void> {
    const rows: unknown[] = await this.db.query(
      'SELECT 1 FROM accounts WHERE id = $1 AND tenant_id = $2',
      [accountId, tenantId],
    );
    if (rows.length === 0) {
      throw ProblemException.validation([
        {
          field: 'body.payerAccountId',
          message: 'payerAccountId is not an account of this tenant',
        },
      ]);
    }
  }

  /** The ids of this key: new ones, or those of its first request when the body is the same. */
  private async remember(payment: PaymentToAccept): Promise<AcceptedPayment> {
    const fresh = {
      paymentId: randomUUID(),
      endToEndId: endToEndId(this.ispb, new Date()),
    };
    const { tenantId, clientId } = payment.origin;
    const inserted: unknown[] = await this.db.query(
      `INSERT INTO pix_payment_requests
         (tenant_id, client_id, idempotency_key, request_hash, payment_id, end_to_end_id, payer_account_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (tenant_id, client_id, idempotency_key) DO NOTHING RETURNING 1`,
      [
        tenantId,
        clientId,
        payment.idempotencyKey,
        payment.claim.requestHash,
        fresh.paymentId,
        fresh.endToEndId,
        payment.payerAccountId,
      ],
    );
    if (inserted.length > 0) return { ...fresh, replayed: false };
    const [first]: RememberedRequest[] = await this.db.query(
      `SELECT request_hash, payment_id, end_to_end_id FROM pix_payment_requests
       WHERE tenant_id = $1 AND client_id = $2 AND idempotency_key = $3`,
      [tenantId, clientId, payment.idempotencyKey],
    );
    if (!first || first.request_hash !== payment.claim.requestHash) {
      throw new IdempotencyKeyReusedError();
    }
    return { paymentId: first.payment_id, endToEndId: first.end_to_end_id, replayed: true };
  }
}
