import { Query } from '@nestjs/cqrs';
import type { TraceView } from '../../log-record.view';

/** Every record of one flow (one correlation id) across topics, in time order. */
export class TraceFlowQuery extends Query<TraceView> {
  constructor(readonly correlationId: string) {
    super();
  }
}
