import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { register } from 'prom-client';
import type { GatewayEnvironment } from '../../config/gateway.environment';
import { sumMetric } from './prometheus-sum';
import {
  PLATFORM_SERIES,
  seriesFromSamples,
  type RawSample,
  type SampledApp,
  type SeriesView,
} from './series';

/**
 * Reads the three apps' Prometheus metrics every PLATFORM_SAMPLE_INTERVAL_MS into a ring of the
 * last PLATFORM_SAMPLES_KEPT samples, so the page draws its sparklines without a Prometheus server.
 * Each gateway instance keeps its own ring: its own series are its own traffic, not the platform's
 * (Grafana has the summed view).
 */
@Injectable()
export class MetricsSampler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsSampler.name);
  private readonly samples: RawSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly intervalMs: number;
  private readonly capacity: number;
  private readonly timeoutMs: number;
  private readonly urls: Record<Exclude<SampledApp, 'gateway'>, string>;

  constructor(config: ConfigService<GatewayEnvironment, true>) {
    this.intervalMs = config.get('PLATFORM_SAMPLE_INTERVAL_MS');
    // One more than the points shown: a rate is the difference of two samples.
    this.capacity = config.get('PLATFORM_SAMPLES_KEPT') + 1;
    this.timeoutMs = Math.min(config.get('HEALTH_TIMEOUT_MS'), this.intervalMs);
    this.urls = {
      processor: config.get('PLATFORM_PROCESSOR_URL'),
      monitor: config.get('PLATFORM_MONITOR_URL'),
    };
  }

  onApplicationBootstrap(): void {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    // Sampling must never keep a stopping process alive.
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  series(): SeriesView[] {
    return seriesFromSamples(this.samples);
  }

  get sampleIntervalMs(): number {
    return this.intervalMs;
  }

  private async sample(): Promise<void> {
    const at = Date.now();
    const [gateway, processor, monitor] = await Promise.all([
      register.metrics(),
      this.scrape(this.urls.processor),
      this.scrape(this.urls.monitor),
    ]);
    const pages: Record<SampledApp, string | undefined> = { gateway, processor, monitor };
    const values: RawSample['values'] = {};
    for (const definition of PLATFORM_SERIES) {
      const page = pages[definition.app];
      values[definition.id] = page === undefined ? undefined : sumMetric(page, definition.metric);
    }
    this.samples.push({ at, values });
    if (this.samples.length > this.capacity) this.samples.shift();
  }

  /** An app's /metrics page, or undefined while it does not answer (a gap in its sparklines). */
  private async scrape(baseUrl: string): Promise<string | undefined> {
    try {
      const response = await fetch(new URL('/metrics', baseUrl), {
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      return response.ok ? await response.text() : undefined;
    } catch (error) {
      this.logger.debug(`no metrics from ${baseUrl}: ${String(error)}`);
      return undefined;
    }
  }
}
