// deploy/k8s checked offline (no cluster in CI): every rendered object against the Kubernetes
// OpenAPI schemas, and what spans the apps. Each app's own spec (apps/*/src/deploy) checks its
// workload against the app: probes, variables, ports, metrics.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  K8S_DIR,
  K8S_VARIANTS,
  objectsOfKind,
  renderK8sVariant,
  SECRET_STAND_INS,
  validateAgainstK8sSchemas,
  workloads,
  type K8sObject,
} from '@event-hub/testing';

type Ingress = K8sObject & {
  spec: { rules: { http: { paths: { backend: { service: { name: string } } }[] } }[] };
};

describe.each(Object.keys(K8S_VARIANTS))('deploy/k8s %s', (variant) => {
  const objects = renderK8sVariant(variant);

  it('renders objects that all validate against the Kubernetes API schemas', () => {
    expect(
      workloads(objects)
        .map((w) => w.metadata.name)
        .sort(),
    ).toEqual(['gateway', 'monitor', 'processor']);
    expect(validateAgainstK8sSchemas(objects)).toEqual([]);
  });

  it('commits no Secret, and the README says how to create each one the pods read', () => {
    expect(objectsOfKind(objects, 'Secret')).toEqual([]);
    const readme = readFileSync(join(K8S_DIR, 'README.md'), 'utf8');
    for (const { spec } of workloads(objects)) {
      for (const variable of spec.template.spec.containers.flatMap((c) => c.env ?? [])) {
        const ref = variable.valueFrom?.secretKeyRef;
        if (ref === undefined) continue;
        expect(readme).toContain(`create secret generic ${ref.name}`);
        expect(readme).toContain(`--from-literal=${ref.key}=`);
        expect(SECRET_STAND_INS).toHaveProperty([ref.key]);
      }
      for (const volume of spec.template.spec.volumes ?? []) {
        if (volume.secret)
          expect(readme).toContain(`create secret generic ${volume.secret.secretName}`);
      }
    }
  });

  it('routes the Ingress to the gateway Service only', () => {
    const [ingress, ...others] = objectsOfKind<Ingress>(objects, 'Ingress');
    expect(others).toEqual([]);
    const backends = ingress.spec.rules.flatMap((rule) =>
      rule.http.paths.map((path) => path.backend.service.name),
    );
    expect(new Set(backends)).toEqual(new Set(['gateway']));
  });
});

describe('deploy/k8s local overlay', () => {
  const objects = renderK8sVariant('local');

  it('puts every namespaced object in the event-hub namespace and runs locally built images', () => {
    for (const object of objects.filter((o) => o.kind !== 'Namespace')) {
      expect(object.metadata.namespace).toBe('event-hub');
    }
    for (const workload of workloads(objects)) {
      expect(workload.spec.template.spec.containers[0].image).toBe(
        `event-hub/${workload.metadata.name}:local`,
      );
    }
  });
});
