import { collectDefaultMetrics, Registry } from 'prom-client';

/** One Prometheus registry per service instance, labelled with the service name. */
export class MetricsRegistry {
  readonly registry = new Registry();

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
  }
}
