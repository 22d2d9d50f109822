import { Query } from '@nestjs/cqrs';
import type { LogVisibility } from '../../log-queries';
import type { TraceView } from '../../log-record.view';

/** Every record of one flow (one correlation id) the caller may see, across topics, in time order. */
export class TraceFlowQuery extends Query<TraceView> {
  constructor(
    readonly correlationId: string,
    readonly visibility: LogVisibility,
  ) {
    super();
  }
}
