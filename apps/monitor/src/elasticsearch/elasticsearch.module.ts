import { readFileSync } from 'node:fs';
import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { Client } from '@elastic/elasticsearch';
import type { MonitorEnvironment } from '../config/monitor.environment';
import { ElasticsearchHealthIndicator } from './elasticsearch.health-indicator';
import { ELASTICSEARCH_CLIENT } from './elasticsearch.tokens';

export { ELASTICSEARCH_CLIENT };

@Injectable()
class ElasticsearchClientLifecycle implements OnApplicationShutdown {
  constructor(@Inject(ELASTICSEARCH_CLIENT) private readonly client: Client) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}

@Module({
  imports: [TerminusModule],
  providers: [
    {
      provide: ELASTICSEARCH_CLIENT,
      inject: [ConfigService],
      // Retries are the indexer's decision (it spills to disk), not the transport's.
      useFactory: (config: ConfigService<MonitorEnvironment, true>) => {
        const username = config.get('ELASTICSEARCH_USERNAME', { infer: true });
        const passwordFile = config.get('ELASTICSEARCH_PASSWORD_FILE', { infer: true });
        const password =
          passwordFile === undefined
            ? config.get('ELASTICSEARCH_PASSWORD', { infer: true })
            : readFileSync(passwordFile, 'utf8').trim();
        return new Client({
          node: config.get('ELASTICSEARCH_URL'),
          ...(username !== undefined && password !== undefined
            ? { auth: { username, password } }
            : {}),
          maxRetries: 0,
          requestTimeout: 30000,
        });
      },
    },
    ElasticsearchClientLifecycle,
    ElasticsearchHealthIndicator,
  ],
  exports: [ELASTICSEARCH_CLIENT, ElasticsearchHealthIndicator],
})
export class ElasticsearchModule {}
