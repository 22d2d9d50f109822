import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { KafkaMessage } from 'kafkajs';
import { TOPICS } from '@event-hub/contracts';
import { KAFKA_BATCH, KafkaBatchContext } from '@event-hub/kafka';
import { ACCOUNT_CLOSED, INSUFFICIENT_FUNDS, PixLedger } from '../ledger/pix-ledger';
import { parseValidated } from './pix-stage-message';
import { PixStageConsumer } from './pix-stage.consumer';
import { PixStageWiring } from './pix-stage.dependencies';

export const PIX_VALIDATED_BATCHES = 'processor.pix.validated';

/** Settles a validated payment: debit and credit in one transaction, or INSUFFICIENT_FUNDS / ACCOUNT_CLOSED. */
@Controller()
export class PaymentValidatedConsumer extends PixStageConsumer {
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

  protected async handle(message: KafkaMessage): Promise<void> {
    const outcome = await this.ledger.settle(parseValidated(message), 'settlement');
    this.deps.metrics.outcomes.inc({ stage: 'settlement', outcome });
    if (outcome === 'insufficient-funds') {
      this.deps.metrics.rejections.inc({ reason: INSUFFICIENT_FUNDS });
    } else if (outcome === 'account-closed') {
      this.deps.metrics.rejections.inc({ reason: ACCOUNT_CLOSED });
    }
  }
}
