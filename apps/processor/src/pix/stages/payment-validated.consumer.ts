import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { KafkaMessage } from 'kafkajs';
import { TOPICS } from '@event-hub/contracts';
import { KAFKA_BATCH, KafkaBatchContext } from '@event-hub/kafka';
import { ACCOUNT_CLOSED, INSUFFICIENT_FUNDS, PixLedger } from '../ledger/pix-ledger';
import { parseValidated, type PoisonRecord } from './pix-stage-message';
import { PixStageConsumer, type StageItem } from './pix-stage.consumer';
import { PixStageWiring } from './pix-stage.dependencies';

export const PIX_VALIDATED_BATCHES = 'processor.pix.validated';

/**
 * Settles the validated payments of a chunk in one transaction: each a debit and a credit, or
 * INSUFFICIENT_FUNDS / ACCOUNT_CLOSED without failing the others.
 */
@Controller()
export class PaymentValidatedConsumer extends PixStageConsumer<string> {
  constructor(
    wiring: PixStageWiring,
    private readonly ledger: PixLedger,
  ) {
    super(wiring, 'settlement', PIX_VALIDATED_BATCHES, TOPICS.pixPaymentValidated);
  }

  @EventPattern(PIX_VALIDATED_BATCHES, KAFKA_BATCH)
  consume(@Payload() records: KafkaMessage[], @Ctx() context: KafkaBatchContext): Promise<void> {
    return this.consumeBatch(records, context);
  }

  protected parse(message: KafkaMessage): string {
    return parseValidated(message);
  }

  protected async handleChunk(items: StageItem<string>[]): Promise<(PoisonRecord | undefined)[]> {
    const outcomes = await this.ledger.settleAll(
      items.map((item) => ({ paymentId: item.value, trace: item.trace })),
      'settlement',
    );
    for (const outcome of outcomes) {
      this.deps.metrics.outcomes.inc({ stage: 'settlement', outcome });
      if (outcome === 'insufficient-funds') {
        this.deps.metrics.rejections.inc({ reason: INSUFFICIENT_FUNDS });
      } else if (outcome === 'account-closed') {
        this.deps.metrics.rejections.inc({ reason: ACCOUNT_CLOSED });
      }
    }
    return items.map(() => undefined);
  }
}
