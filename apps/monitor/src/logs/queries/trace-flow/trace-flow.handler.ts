import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ElasticsearchLink } from '../../../ingestion/elasticsearch-link';
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

  async execute({ correlationId }: TraceFlowQuery): Promise<TraceView> {
    const { total, items } = await this.search.search(
      traceFlowRequest(this.link.indices.pattern, correlationId),
    );
    return { correlationId, total, truncated: total > items.length, items };
  }
}
