import { Injectable, type Provider } from '@nestjs/common';
import { InjectMetric, makeCounterProvider } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';

const REGISTRATIONS = 'gateway_schema_registrations_total';
const VALIDATED_RECORDS = 'gateway_schema_validated_records_total';
const VALIDATION_FAILURES = 'gateway_schema_validation_failures_total';

/** The schema registry's Prometheus series. */
@Injectable()
export class SchemaMetrics {
  constructor(
    @InjectMetric(REGISTRATIONS) readonly registrations: Counter<'outcome'>,
    @InjectMetric(VALIDATION_FAILURES) readonly validationFailures: Counter,
    @InjectMetric(VALIDATED_RECORDS) readonly validatedRecords: Counter,
  ) {}
}

/** The series on the default registry behind /metrics, and {@link SchemaMetrics} over them. */
export const SCHEMA_METRICS: Provider[] = [
  makeCounterProvider({
    name: REGISTRATIONS,
    help: 'Schema registrations by outcome: created, existing (identical version), invalid, incompatible',
    labelNames: ['outcome'],
  }),
  makeCounterProvider({
    name: VALIDATED_RECORDS,
    help: 'Produced record values checked against their topic subject',
  }),
  makeCounterProvider({
    name: VALIDATION_FAILURES,
    help: 'Produced record values that did not conform to their topic subject',
  }),
  SchemaMetrics,
];
