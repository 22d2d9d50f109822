// The processor's workload in deploy/k8s, checked against the processor itself.
import { HealthController } from '@event-hub/service-runtime';
import {
  containerEnvironment,
  describeAppManifests,
  K8S_VARIANTS,
  renderK8sVariant,
  workloadOf,
} from '@event-hub/testing';
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

describe.each(Object.keys(K8S_VARIANTS))('deploy/k8s %s: processor RabbitMQ', (variant) => {
  it('reads RABBITMQ_URL from the Secret, since its default is the pod itself', () => {
    const objects = renderK8sVariant(variant);
    const [container] = workloadOf(objects, 'processor').spec.template.spec.containers;
    expect(new ProcessorEnvironment().RABBITMQ_URL).toMatch(/127\.0\.0\.1/);
    expect(container.env).toContainEqual({
      name: 'RABBITMQ_URL',
      valueFrom: { secretKeyRef: { name: 'event-hub-secrets', key: 'rabbitmq-url' } },
    });
    expect(containerEnvironment(objects, container)['RABBITMQ_URL']).toMatch(
      /^amqp:\/\/[^@]+@rabbitmq:5672$/,
    );
  });
});
