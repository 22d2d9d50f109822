import { Command } from '@nestjs/cqrs';
import type { ProducedRecordsView } from '../../shared/produce.views';
import type { RecordInput } from '../../shared/record-encoding';

export interface ProduceResult {
  view: ProducedRecordsView;
  /** The first answer to this Idempotency-Key, sent again without producing. */
  replayed: boolean;
}

export class ProduceRecordsCommand extends Command<ProduceResult> {
  constructor(
    readonly tenantId: string,
    readonly clientId: string,
    readonly topic: string,
    readonly records: readonly RecordInput[],
    readonly idempotency: { key: string; requestHash: string } | undefined,
  ) {
    super();
  }
}
