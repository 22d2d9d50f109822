// The gateway's workload in deploy/k8s, checked against the gateway itself.
import { AuthEnvironment } from '@event-hub/auth';
import { HealthController } from '@event-hub/service-runtime';
import { describeAppManifests } from '@event-hub/testing';
import { GatewayEnvironment } from '../config/gateway.environment';
import { GATEWAY_METRICS } from '../metrics/gateway.metrics';

describeAppManifests({
  app: 'gateway',
  environments: [GatewayEnvironment, AuthEnvironment],
  portVariable: 'GATEWAY_PORT',
  healthController: HealthController,
  metrics: GATEWAY_METRICS,
  scaling: { cpu: true },
});
