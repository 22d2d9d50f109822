import { ConfigService } from '@nestjs/config';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ProblemException } from '@event-hub/service-runtime';
import { ElasticsearchLink } from '../../../elasticsearch/elasticsearch-link';
import { traceFlowRequest } from '../../log-queries';
import type { MonitorEnvironment } from '../../../config/monitor.environment';
import type { LogRecordView, TraceLinkView, TraceView } from '../../log-record.view';
import { LogSearch } from '../../log-search';
import { TraceFlowQuery } from './trace-flow.query';

@QueryHandler(TraceFlowQuery)
export class TraceFlowHandler implements IQueryHandler<TraceFlowQuery, TraceView> {
  constructor(
    private readonly search: LogSearch,
    private readonly link: ElasticsearchLink,
    private readonly config: ConfigService<MonitorEnvironment, true>,
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
    const traces = traceLinks(items, this.config.get('JAEGER_UI_URL', { infer: true }));
    return { correlationId, total, truncated: total > items.length, traces, items };
  }
}

/** The distinct trace ids of the records, oldest first, each linked to the trace UI when known. */
export function traceLinks(items: LogRecordView[], uiUrl: string | undefined): TraceLinkView[] {
  const ids = [...new Set(items.flatMap((item) => (item.traceId ? [item.traceId] : [])))];
  const base = uiUrl?.replace(/\/+$/, '');
  return ids.map((traceId) => (base ? { traceId, url: `${base}/trace/${traceId}` } : { traceId }));
}
