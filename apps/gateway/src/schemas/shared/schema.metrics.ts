import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsRegistry } from '@event-hub/observability';

/** The schema registry's Prometheus series, on the service registry behind /metrics. */
@Injectable()
export class SchemaMetrics {
  readonly registrations: Counter<'outcome'>;
  readonly validationFailures: Counter;
  readonly validatedRecords: Counter;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.registrations = new Counter({
      name: 'gateway_schema_registrations_total',
      help: 'Schema registrations by outcome: created, existing (identical version), invalid, incompatible',
      labelNames: ['outcome'],
      registers,
    });
    this.validatedRecords = new Counter({
      name: 'gateway_schema_validated_records_total',
      help: 'Produced record values checked against their topic subject',
      registers,
    });
    this.validationFailures = new Counter({
      name: 'gateway_schema_validation_failures_total',
      help: 'Produced record values that did not conform to their topic subject',
      registers,
    });
  }
}
