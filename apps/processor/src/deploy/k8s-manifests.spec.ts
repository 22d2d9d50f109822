// The processor's workload in deploy/k8s, checked against the processor itself.
import { HealthController } from '@event-hub/service-runtime';
import { describeAppManifests } from '@event-hub/testing';
import { ProcessorEnvironment } from '../config/processor.environment';
import { PROCESSOR_METRICS } from '../metrics/processor.metrics';

describeAppManifests({
  app: 'processor',
  environments: [ProcessorEnvironment],
  portVariable: 'PROCESSOR_PORT',
  healthController: HealthController,
  metrics: PROCESSOR_METRICS,
  scaling: { externalMetric: 'processor_consumer_lag' },
});
