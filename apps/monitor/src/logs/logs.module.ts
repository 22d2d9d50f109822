import { Module } from '@nestjs/common';
import { ElasticsearchModule } from '../elasticsearch/elasticsearch.module';
import { IngestionModule } from '../ingestion/ingestion.module';
import { LogSearch } from './log-search';
import { LogsController } from './logs.controller';
import { SearchLogsHandler } from './queries/search-logs/search-logs.handler';
import { TraceFlowHandler } from './queries/trace-flow/trace-flow.handler';

/** The log search API over the monitor's indices. */
@Module({
  imports: [ElasticsearchModule, IngestionModule],
  controllers: [LogsController],
  providers: [LogSearch, SearchLogsHandler, TraceFlowHandler],
})
export class LogsModule {}
