import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { KafkaMessage } from 'kafkajs';
import { TOPICS } from '@event-hub/contracts';
import { KAFKA_BATCH, KafkaBatchContext } from '@event-hub/kafka';
import { AntifraudStage, type Judgement } from '../antifraud/antifraud.stage';
import { insertOutbox, type OutboxRecord } from '../ledger/outbox-records';
import { PixLedger, type PaymentRequest } from '../ledger/pix-ledger';
import { inTransaction, type PixStatements } from '../ledger/retry-conflicts';
import { PoisonRecord, parseRequested } from './pix-stage-message';
import { PixStageConsumer, type StageItem } from './pix-stage.consumer';
import { PixStageWiring } from './pix-stage.dependencies';

export const PIX_REQUESTED_BATCHES = 'processor.pix.requested';

/**
 * Records the requested payments of a chunk and runs antifraud on them in one transaction: each
 * → validated (outbox) or rejected.
 */
@Controller()
export class PaymentRequestedConsumer extends PixStageConsumer<PaymentRequest> {
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

  protected parse(message: KafkaMessage): PaymentRequest {
    return parseRequested(message);
  }

  /** Records the requests (a redelivery records nothing), then judges what is still requested. */
  private async recordThenJudge(
    m: PixStatements,
    requests: (PaymentRequest & { actor: string; trace: StageItem<PaymentRequest>['trace'] })[],
    outbox: OutboxRecord[],
  ): Promise<Judgement[]> {
    await this.ledger.recordRequestsIn(m, requests, outbox);
    return this.antifraud.judgeIn(
      m,
      requests.map((r) => ({ paymentId: r.paymentId, trace: r.trace })),
      'antifraud',
      outbox,
    );
  }

  protected async handleChunk(
    items: StageItem<PaymentRequest>[],
  ): Promise<(PoisonRecord | undefined)[]> {
    // Recorded and judged in one transaction: one commit per chunk, and a failure leaves neither
    // (the redelivery or the retry does both). New requests are written once, already judged; a
    // chunk holding a redelivered one records them first (a redelivery records nothing) and judges
    // what is still `requested`. The payers are locked first, in id order: a payer that does not
    // exist (the gateway checks it, so only a forged record names one) makes its record poison
    // before anything is written for it.
    const { judgements, payers } = await inTransaction(this.deps.dataSource, async (m) => {
      const payers = await this.antifraud.lockPayers(
        m,
        items.map((i) => i.value.payerAccountId),
      );
      const known = items.filter((i) => payers.has(i.value.payerAccountId));
      const requests = known.map((i) => ({
        ...i.value,
        actor: `client:${i.value.clientId}`,
        trace: i.trace,
      }));
      const outbox: OutboxRecord[] = [];
      // New requests (all but redeliveries): each payment row written once, already decided.
      const judged =
        (await this.antifraud.recordAndJudgeIn(m, requests, 'antifraud', outbox)) ??
        (await this.recordThenJudge(m, requests, outbox));
      insertOutbox(m, outbox);
      return { judgements: new Map(known.map((item, k) => [item, judged[k]])), payers };
    });
    // Committed: every request wrote its audit record (Kafka); a rejection, its notification.
    const rejected = [...judgements.values()].some((j) => j?.rejectionCode !== undefined);
    if (judgements.size > 0) {
      this.deps.outboxSignal.committed('kafka', ...(rejected ? (['rabbitmq'] as const) : []));
    }
    return items.map((item) => {
      if (!payers.has(item.value.payerAccountId)) {
        return new PoisonRecord('INVALID_PAYMENT', 'data.payerAccountId is not an account');
      }
      const judged = judgements.get(item);
      if (judged) {
        this.deps.metrics.outcomes.inc({ stage: 'antifraud', outcome: judged.outcome });
        if (judged.rejectionCode)
          this.deps.metrics.rejections.inc({ reason: judged.rejectionCode });
      }
      return undefined;
    });
  }
}
