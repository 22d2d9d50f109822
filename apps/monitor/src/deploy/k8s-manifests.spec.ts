// The monitor's workload in deploy/k8s, checked against the monitor itself.
import { AuthEnvironment } from '@event-hub/auth';
import { HealthController } from '@event-hub/service-runtime';
import { describeAppManifests } from '@event-hub/testing';
import { MonitorEnvironment } from '../config/monitor.environment';
import { MONITOR_METRICS } from '../ingestion/monitor-metrics';

describeAppManifests({
  app: 'monitor',
  environments: [MonitorEnvironment, AuthEnvironment],
  portVariable: 'MONITOR_PORT',
  healthController: HealthController,
  metrics: MONITOR_METRICS,
  scaling: { externalMetric: 'monitor_consumer_lag_records' },
});
