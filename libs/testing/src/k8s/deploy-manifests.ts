/**
 * deploy/k8s as the tests read it: the rendered variants, the parts of the object model they
 * check, and validation against the Kubernetes API schemas.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { renderKustomization, type K8sObject } from './kustomize-render';

export const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
export const K8S_DIR = join(REPO_ROOT, 'deploy', 'k8s');
/** Every kustomization `kubectl apply -k` is meant for. */
export const K8S_VARIANTS: Record<string, string> = {
  base: join(K8S_DIR, 'base'),
  local: join(K8S_DIR, 'overlays', 'local'),
};

export function renderK8sVariant(variant: string): K8sObject[] {
  return renderKustomization(K8S_VARIANTS[variant]);
}

/**
 * Stand-ins for the Secret's values (never committed), shaped like real ones, so each app's
 * validation runs over the complete environment a pod gets. Keys are those of `event-hub-secrets`.
 */
export const SECRET_STAND_INS: Record<string, string> = {
  'gateway-database-url': 'postgres://gateway:secret@postgres:5432/event_hub',
  'processor-database-url': 'postgres://processor:secret@postgres:5432/event_hub',
  'rabbitmq-url': 'amqp://event-hub:secret@rabbitmq:5672',
  'monitor-elasticsearch-password': 'secret',
  'monitor-pii-hmac-key': 'a-stand-in-key-of-at-least-32-characters',
};

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string };
    configMapKeyRef?: { name: string; key: string };
  };
}
export interface HttpProbe {
  httpGet: { path: string; port: string | number };
}
export interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  livenessProbe?: HttpProbe;
  readinessProbe?: HttpProbe;
  startupProbe?: HttpProbe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
export interface Workload extends K8sObject {
  spec: {
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        containers: Container[];
        volumes?: { name: string; secret?: { secretName: string } }[];
      };
    };
  };
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet']);

export function workloads(objects: K8sObject[]): Workload[] {
  return objects.filter((o): o is Workload => WORKLOAD_KINDS.has(o.kind));
}

export function workloadOf(objects: K8sObject[], name: string): Workload {
  const found = workloads(objects).find((w) => w.metadata.name === name);
  if (!found) throw new Error(`no Deployment or StatefulSet named ${name}`);
  return found;
}

export function objectsOfKind<T extends K8sObject>(objects: K8sObject[], kind: string): T[] {
  return objects.filter((o) => o.kind === kind) as T[];
}

function configMapData(objects: K8sObject[], name: string): Record<string, string> {
  const map = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name);
  if (!map) throw new Error(`no ConfigMap ${name}`);
  return (map['data'] ?? {}) as Record<string, string>;
}

/** The environment a container starts with, Secret values replaced by {@link SECRET_STAND_INS}. */
export function containerEnvironment(
  objects: K8sObject[],
  container: Container,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) Object.assign(env, configMapData(objects, source.configMapRef.name));
    if (source.secretRef) throw new Error('envFrom a Secret would hide which variables it sets');
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (from?.secretKeyRef) env[variable.name] = SECRET_STAND_INS[from.secretKeyRef.key];
    else if (from?.configMapKeyRef) {
      const { name, key } = from.configMapKeyRef;
      env[variable.name] = configMapData(objects, name)[key];
    }
  }
  return env;
}

export interface SchemaProblem {
  id: string;
  error: string;
}

/** Problems found by the Kubernetes API schemas (npm kubernetes-models); `[]` when all valid. */
export function validateAgainstK8sSchemas(objects: K8sObject[]): SchemaProblem[] {
  // A child process: kubernetes-models is ESM only, which Jest's CommonJS runtime cannot load.
  const output = execFileSync(process.execPath, [join(__dirname, 'validate-objects.mjs')], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
    cwd: REPO_ROOT,
  });
  return JSON.parse(output) as SchemaProblem[];
}
