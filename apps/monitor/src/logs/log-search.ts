import { Inject, Injectable } from '@nestjs/common';
import { errors, type Client, type estypes } from '@elastic/elasticsearch';
import { ProblemException } from '@event-hub/service-runtime';
import { MONITOR_SETTINGS, type MonitorSettings } from '../config/monitor-settings';
import { ELASTICSEARCH_CLIENT } from '../elasticsearch/elasticsearch.tokens';
import type { LogDocument } from '../elasticsearch/log-document';
import type { LogRecordView } from './log-record.view';

/** Runs searches over the monitor's indices and turns cluster trouble into problem details. */
@Injectable()
export class LogSearch {
  constructor(
    @Inject(ELASTICSEARCH_CLIENT) private readonly client: Client,
    @Inject(MONITOR_SETTINGS) private readonly settings: MonitorSettings,
  ) {}

  async search(request: estypes.SearchRequest): Promise<{ total: number; items: LogRecordView[] }> {
    let response: estypes.SearchResponse<LogDocument>;
    try {
      response = await this.client.search<LogDocument>(request, {
        requestTimeout: this.settings.bulk.timeoutMs,
        maxRetries: 0,
      });
    } catch (error) {
      if (error instanceof errors.ResponseError && error.statusCode === 400) {
        throw new ProblemException(
          400,
          'INVALID_SEARCH',
          'Elasticsearch rejected the search',
          error.message,
        );
      }
      throw new ProblemException(
        503,
        'ELASTICSEARCH_UNAVAILABLE',
        'Log search is unavailable',
        `Elasticsearch did not answer: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const total = response.hits.total;
    return {
      total: typeof total === 'number' ? total : (total?.value ?? 0),
      items: response.hits.hits.map((hit) => ({
        id: hit._id ?? '',
        index: hit._index,
        ...(hit._source as LogDocument),
      })),
    };
  }
}
