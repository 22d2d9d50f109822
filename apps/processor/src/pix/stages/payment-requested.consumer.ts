import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { KafkaMessage } from 'kafkajs';
import { TOPICS } from '@event-hub/contracts';
import { KAFKA_BATCH, KafkaBatchContext } from '@event-hub/kafka';
import { AntifraudStage } from '../antifraud/antifraud.stage';
import { PixLedger } from '../ledger/pix-ledger';
import { inTransaction } from '../ledger/retry-conflicts';
import { PoisonRecord, parseRequested } from './pix-stage-message';
import { PixStageConsumer } from './pix-stage.consumer';
import { PixStageWiring } from './pix-stage.dependencies';

export const PIX_REQUESTED_BATCHES = 'processor.pix.requested';

/**
 * Records a requested payment and runs antifraud on it in one transaction: → validated (outbox) or
 * rejected.
 */
@Controller()
export class PaymentRequestedConsumer extends PixStageConsumer {
  constructor(
    wiring: PixStageWiring,
    private readonly ledger: PixLedger,
    @Inject(AntifraudStage) private readonly antifraud: AntifraudStage,
  ) {
    super(wiring, 'antifraud', PIX_REQUESTED_BATCHES, TOPICS.pixPaymentRequested);
  }

  @EventPattern(PIX_REQUESTED_BATCHES, KAFKA_BATCH)
  consume(@Payload() records: KafkaMessage[], @Ctx() context: KafkaBatchContext): Promise<void> {
    return this.consumeBatch(records, context);
  }

  protected async handle(message: KafkaMessage): Promise<void> {
    const request = parseRequested(message);
    // Recorded and judged in one transaction: one commit per payment, and a failure leaves neither
    // (the redelivery or the retry does both). A redelivered request records nothing and is judged
    // only if still `requested`.
    const outcome = await inTransaction(this.deps.dataSource, async (m) => {
      await this.ledger.recordRequestIn(m, request, `client:${request.clientId}`);
      return this.antifraud.runIn(m, request.paymentId, 'antifraud');
    }).catch((error: unknown) => {
      // 23503: the payer account does not exist; the gateway checks it, so only a forged record gets here.
      if (codeOf(error) === '23503') {
        throw new PoisonRecord('INVALID_PAYMENT', 'data.payerAccountId is not an account');
      }
      throw error;
    });
    this.deps.metrics.outcomes.inc({ stage: 'antifraud', outcome });
    if (outcome === 'rejected') {
      const [row]: { rejection_code: string | null }[] = await this.deps.dataSource.query(
        'SELECT rejection_code FROM pix_payments WHERE id = $1',
        [request.paymentId],
      );
      if (row?.rejection_code) this.deps.metrics.rejections.inc({ reason: row.rejection_code });
    }
  }
}

function codeOf(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = candidate.driverError?.code ?? candidate.code;
  return typeof code === 'string' ? code : undefined;
}
