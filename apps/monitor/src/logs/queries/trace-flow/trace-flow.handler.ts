import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ProblemException } from '@event-hub/service-runtime';
import { ElasticsearchLink } from '../../../elasticsearch/elasticsearch-link';
import { traceFlowRequest } from '../../log-queries';
import type { TraceView } from '../../log-record.view';
import { LogSearch } from '../../log-search';
import { TraceFlowQuery } from './trace-flow.query';

@QueryHandler(TraceFlowQuery)
export class TraceFlowHandler implements IQueryHandler<TraceFlowQuery, TraceView> {
  constructor(
    private readonly search: LogSearch,
    private readonly link: ElasticsearchLink,
  ) {}

  async execute({ correlationId, visibility }: TraceFlowQuery): Promise<TraceView> {
    const { total, items } = await this.search.search(
      traceFlowRequest(this.link.indices.pattern, correlationId, visibility),
    );
    // Another tenant's flow and an unknown one answer alike: nothing says the id exists.
    if (total === 0) {
      throw new ProblemException(
        404,
        'LOGS.FLOW_NOT_FOUND',
        'Flow not found',
        `No record you may see carries the correlation id ${correlationId}`,
      );
    }
    return { correlationId, total, truncated: total > items.length, items };
  }
}
