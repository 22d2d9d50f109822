import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { GatewayEnvironment } from '../../../config/gateway.environment';
import { IdempotencyKeyInProgressError } from '../../../shared/http-errors';
import { ProduceTransactions } from '../shared/produce-transactions';
import { RecordsNotProducedError } from '../shared/produce.errors';
import type { ProducedRecordsView } from '../shared/produce.views';
import { CommittedProduceSearch } from './committed-produce-search';
import { ProduceIdempotencyStore, type PendingClaim } from './produce-idempotency.store';

export interface PendingKey {
  tenantId: string;
  clientId: string;
  key: string;
  claim: PendingClaim;
}

export type Settled =
  { kind: 'replay'; response: ProducedRecordsView } | { kind: 'claimed'; claimId: string };

/**
 * Settles an Idempotency-Key whose claim has no answer: its request is still running, or its
 * gateway died somewhere between the claim and storing the answer. Once the claim's transaction
 * has certainly ended (its producer was fenced by this incarnation's start, or the transaction
 * timeout has passed), the committed log decides: written → the first answer (stored now);
 * provably not written → the claim is taken over and the request produced; not knowable yet →
 * 503 with Retry-After. Before that, 409 in progress. Never a second write.
 */
@Injectable()
export class PendingProduceSettler {
  private readonly logger = new Logger(PendingProduceSettler.name);
  private readonly retryAfterSeconds: number;

  constructor(
    private readonly store: ProduceIdempotencyStore,
    private readonly transactions: ProduceTransactions,
    private readonly search: CommittedProduceSearch,
    config: ConfigService<GatewayEnvironment, true>,
  ) {
    this.retryAfterSeconds = config.get('GATEWAY_RETRY_AFTER_SECONDS');
  }

  async settle({ tenantId, clientId, key, claim }: PendingKey): Promise<Settled> {
    const ended =
      this.transactions.fenced(claim.claimedBy) || claim.ageMs >= this.transactions.settledAfterMs;
    if (!ended) throw new IdempotencyKeyInProgressError();

    const found = await this.search.find({
      tenant: tenantId,
      clientId,
      key,
      claimedAt: claim.claimedAt,
    });
    this.logger.log(
      { clientId, outcome: found.kind },
      'produce Idempotency-Key left without an answer, settled from the committed log',
    );
    if (found.kind === 'committed') {
      const response: ProducedRecordsView = { records: found.records };
      await this.store.complete(clientId, key, response).catch((error: unknown) => {
        this.logger.warn({ err: error, clientId }, 'could not store a recovered produce answer');
      });
      return { kind: 'replay', response };
    }
    if (found.kind === 'absent') {
      const claimId = await this.store.takeOver(clientId, key, claim, this.transactions.claimant);
      if (!claimId) throw new IdempotencyKeyInProgressError();
      return { kind: 'claimed', claimId };
    }
    throw new RecordsNotProducedError(
      'outcome_unknown',
      this.retryAfterSeconds,
      'An earlier request with this Idempotency-Key may have been written; Kafka cannot tell yet. ' +
        'Retry with the same key: it will be answered with the first offsets or produced once',
    );
  }
}
