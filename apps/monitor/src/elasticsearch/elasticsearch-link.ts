import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Client } from '@elastic/elasticsearch';
import { MONITOR_SETTINGS, type MonitorSettings } from '../config/monitor-settings';
import { ELASTICSEARCH_CLIENT } from './elasticsearch.tokens';
import { LogIndices, logIndexTemplate, logMappingUpdate } from './log-indices';
import { describeError } from './bulk-writer';

/**
 * Whether the monitor currently writes to Elasticsearch. It goes down when a write fails beyond
 * its retry budget, and up again only when a probe finds the cluster answering AND the index
 * template is (re)installed, so no document ever lands in an index created without our mapping
 * (a cluster that lost its data comes back with its template).
 */
@Injectable()
export class ElasticsearchLink {
  private readonly logger = new Logger(ElasticsearchLink.name);
  private up = false;
  private downSince: number | undefined = Date.now();
  private lastErrorMessage: string | undefined = 'not probed yet';
  readonly indices: LogIndices;

  constructor(
    @Inject(ELASTICSEARCH_CLIENT) private readonly client: Client,
    @Inject(MONITOR_SETTINGS) private readonly settings: MonitorSettings,
  ) {
    this.indices = new LogIndices(settings.indexPrefix);
  }

  get isUp(): boolean {
    return this.up;
  }

  get lastError(): string | undefined {
    return this.lastErrorMessage;
  }

  get downSinceMs(): number | undefined {
    return this.downSince;
  }

  markDown(reason: string): void {
    this.lastErrorMessage = reason;
    if (!this.up) return;
    this.up = false;
    this.downSince = Date.now();
    this.logger.warn(`Elasticsearch unavailable, spilling to the fallback directory: ${reason}`);
  }

  /**
   * While up, confirms the cluster still answers, so an idle monitor reports the outage (and
   * spills the next record at once) instead of finding out on its next write. A slow answer within
   * the bulk timeout still counts as up.
   */
  async verify(): Promise<void> {
    if (!this.up) return;
    try {
      await this.client.cluster.health(
        {},
        { requestTimeout: this.settings.bulk.timeoutMs, maxRetries: 0 },
      );
    } catch (error) {
      this.markDown(describeError(error));
    }
  }

  /** Checks the cluster and installs the template; true when documents may be written. */
  async probe(): Promise<boolean> {
    try {
      const health = await this.client.cluster.health(
        {},
        { requestTimeout: this.settings.healthTimeoutMs, maxRetries: 0 },
      );
      if (health.status === 'red') throw new Error('cluster status is red');
      await this.client.indices.putIndexTemplate(
        logIndexTemplate(this.indices, this.settings.indexReplicas),
        { requestTimeout: this.settings.bulk.timeoutMs, maxRetries: 0 },
      );
      await this.client.indices.putMapping(logMappingUpdate(this.indices), {
        requestTimeout: this.settings.bulk.timeoutMs,
        maxRetries: 0,
      });
    } catch (error) {
      this.lastErrorMessage = describeError(error);
      if (this.up) this.markDown(this.lastErrorMessage);
      return false;
    }
    if (!this.up) {
      const downFor = this.downSince === undefined ? 0 : Date.now() - this.downSince;
      this.logger.log(
        `Elasticsearch available (index template ${this.indices.templateName} installed) after ${downFor} ms`,
      );
    }
    this.up = true;
    this.downSince = undefined;
    this.lastErrorMessage = undefined;
    return true;
  }
}
