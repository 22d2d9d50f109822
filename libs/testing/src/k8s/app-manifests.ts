/**
 * The checks of one app's deploy/k8s workload against the app itself, run by the app's own spec
 * (apps may not import each other, so each app checks its own manifests with what it exports).
 */
import type { Provider } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { getToken } from '@willsoto/nestjs-prometheus';
import type { ClassConstructor } from 'class-transformer';
import { getMetadataStorage } from 'class-validator';
import { TOPIC_CATALOG } from '@event-hub/contracts';
import { validateEnvironment } from '@event-hub/service-runtime';
import {
  containerEnvironment,
  K8S_VARIANTS,
  objectsOfKind,
  renderK8sVariant,
  workloadOf,
} from './deploy-manifests';
import type { K8sObject } from './kustomize-render';

export interface AppManifestExpectations {
  app: 'gateway' | 'processor' | 'monitor';
  /** The classes the app validates its environment with at start. */
  environments: ClassConstructor<object>[];
  portVariable: string;
  /** The controller serving /health, /health/ready and /health/live. */
  healthController: ClassConstructor<object>;
  /** The app's metric providers (@willsoto/nestjs-prometheus), as registered on /metrics. */
  metrics: Provider[];
  /** CPU for a request-driven app; otherwise the External lag metric it scales on. */
  scaling: { cpu: true } | { externalMetric: string };
}

type Hpa = K8sObject & {
  spec: {
    scaleTargetRef: { kind: string; name: string };
    maxReplicas: number;
    metrics: {
      type: string;
      resource?: { name: string };
      external?: { metric: { name: string; selector?: { matchLabels?: { topic?: string } } } };
    }[];
  };
};
type Selecting = K8sObject & { spec: { selector: Record<string, unknown> } };
type Service = K8sObject & { spec: { selector: object; ports: object[] } };

function variablesOf(environment: ClassConstructor<object>): string[] {
  return getMetadataStorage()
    .getTargetValidationMetadatas(environment, '', true, false)
    .map((metadata) => metadata.propertyName);
}

/** Paths a controller serves, read from its Nest route metadata. */
export function routesOf(controller: ClassConstructor<object>): string[] {
  const prefix = Reflect.getMetadata(PATH_METADATA, controller) as string;
  const prototype = controller.prototype as Record<string, object>;
  return Object.getOwnPropertyNames(prototype)
    .filter((method) => method !== 'constructor')
    .map((method) => Reflect.getMetadata(PATH_METADATA, prototype[method]) as string)
    .map((path) => `/${[prefix, path].filter((s) => s !== '/' && s !== '').join('/')}`);
}

export function describeAppManifests(expected: AppManifestExpectations): void {
  const { app } = expected;
  describe.each(Object.keys(K8S_VARIANTS))(`deploy/k8s %s: ${app}`, (variant) => {
    const objects = renderK8sVariant(variant);
    const workload = workloadOf(objects, app);
    const [container, ...sidecars] = workload.spec.template.spec.containers;
    const env = containerEnvironment(objects, container);

    it('runs the image the Dockerfile builds for the app, with requests and a memory limit', () => {
      expect(sidecars).toEqual([]);
      expect(container.image).toMatch(new RegExp(`^event-hub/${app}:[\\w.-]+$`));
      expect(container.resources?.requests).toEqual(
        expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }),
      );
      expect(container.resources?.limits?.['memory']).toEqual(expect.any(String));
    });

    it('sets only variables the app validates, and the app accepts them all', () => {
      const known = new Set(expected.environments.flatMap(variablesOf));
      expect(Object.keys(env).filter((name) => !known.has(name))).toEqual([]);
      for (const environment of expected.environments) {
        expect(() => validateEnvironment(environment)(env)).not.toThrow();
      }
    });

    it('sets every address whose default is loopback: in a pod that is the app itself', () => {
      const loopback = /\b(127\.0\.0\.1|localhost)\b/;
      const unset = expected.environments.flatMap((environment) => {
        const defaults = new environment() as Record<string, unknown>;
        return variablesOf(environment).filter((name) => {
          const value = defaults[name];
          return typeof value === 'string' && loopback.test(value) && env[name] === undefined;
        });
      });
      expect(unset).toEqual([]);
    });

    it('exposes the port the app listens on, through its Service', () => {
      const port = Number(env[expected.portVariable]);
      expect(container.ports).toEqual([{ name: 'http', containerPort: port }]);
      const service = objectsOfKind<Service>(objects, 'Service').find(
        (s) => s.metadata.name === app,
      );
      expect(service?.spec.selector).toEqual(workload.spec.selector.matchLabels);
      expect(service?.spec.ports).toEqual([{ name: 'http', port, targetPort: 'http' }]);
    });

    it('probes liveness and readiness on health routes the app serves, on its port', () => {
      const routes = routesOf(expected.healthController);
      expect(container.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      for (const probe of [
        container.livenessProbe,
        container.readinessProbe,
        container.startupProbe,
      ]) {
        if (probe) expect(routes).toContain(probe.httpGet.path);
      }
    });

    it('has a PodDisruptionBudget selecting its pods', () => {
      const budget = objectsOfKind<Selecting>(objects, 'PodDisruptionBudget').find(
        (b) => b.metadata.name === app,
      );
      expect(budget?.spec.selector).toEqual({ matchLabels: workload.spec.selector.matchLabels });
      expect(workload.spec.template.metadata.labels).toEqual(
        expect.objectContaining(workload.spec.selector.matchLabels),
      );
    });

    it('scales with a HorizontalPodAutoscaler on CPU or on the lag the app exports', () => {
      const hpa = objectsOfKind<Hpa>(objects, 'HorizontalPodAutoscaler').find(
        (h) => h.metadata.name === app,
      );
      expect(hpa?.spec.scaleTargetRef).toEqual(
        expect.objectContaining({ kind: workload.kind, name: app }),
      );
      const [metric, ...others] = hpa?.spec.metrics ?? [];
      expect(others).toEqual([]);
      if ('cpu' in expected.scaling) {
        expect(metric?.resource?.name).toBe('cpu');
        return;
      }
      expect(metric?.external?.metric.name).toBe(expected.scaling.externalMetric);
      const registered = expected.metrics.map((p) => (typeof p === 'function' ? p : p.provide));
      expect(registered).toContain(getToken(expected.scaling.externalMetric));
      // A consumer group member beyond the topic's partitions would get none.
      const topic = metric?.external?.metric.selector?.matchLabels?.topic;
      if (topic !== undefined) {
        const partitions = TOPIC_CATALOG.find((t) => t.name === topic)?.partitions ?? 0;
        expect(hpa?.spec.maxReplicas).toBeLessThanOrEqual(partitions);
      }
    });
  });
}
