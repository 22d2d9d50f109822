/**
 * A renderer for the subset of kustomize that deploy/k8s uses, so the manifests can be rendered and
 * validated offline in `npm test`: no kustomize or kubectl binary is published on a registry the
 * project installs from (npm has none maintained; the Go module builds one, but the project has no
 * Go toolchain to build it with). Anything outside the subset is refused, never ignored, so the
 * output cannot silently differ from what `kubectl apply -k` applies.
 *
 * Supported: `resources` (files of YAML documents, or directories holding a kustomization),
 * `namespace`, `images` (newName / newTag / digest) and `patches` given by `path`, as strategic
 * merge patches matched to one resource by apiVersion, kind and name.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface ImageRule {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  resources?: string[];
  namespace?: string;
  images?: ImageRule[];
  patches?: { path: string }[];
}

const KUSTOMIZATION_FIELDS = new Set([
  'apiVersion',
  'kind',
  'resources',
  'namespace',
  'images',
  'patches',
]);
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Kinds without a namespace among those the manifests use; any other kind gets `namespace`. */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'IngressClass',
  'PriorityClass',
]);

/**
 * Lists merged item by item in a strategic merge patch, by the patchMergeKey the Kubernetes API
 * declares for them. Every other list is replaced whole, as kustomize does for lists without a
 * merge key (Ingress rules, HPA metrics, command, args).
 */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'name',
};

/** The objects `kubectl apply -k <dir>` would send, in kustomize's order of appearance. */
export function renderKustomization(dir: string): K8sObject[] {
  const root = resolve(dir);
  const kustomization = readKustomization(root);
  let objects = (kustomization.resources ?? []).flatMap((entry) => {
    const path = join(root, entry);
    if (!existsSync(path)) throw new Error(`${root}: resource ${entry} does not exist`);
    return statSync(path).isDirectory() ? renderKustomization(path) : readObjects(path);
  });
  for (const patch of kustomization.patches ?? []) {
    for (const patchObject of readObjects(join(root, patch.path))) {
      objects = applyPatch(objects, patchObject, `${root}/${patch.path}`);
    }
  }
  if (kustomization.namespace !== undefined) {
    const namespace = kustomization.namespace;
    objects = objects.map((object) =>
      CLUSTER_SCOPED_KINDS.has(object.kind)
        ? object
        : { ...object, metadata: { ...object.metadata, namespace } },
    );
  }
  for (const rule of kustomization.images ?? []) {
    objects = objects.map((object) => withImage(object, rule));
  }
  assertUnique(objects, root);
  return objects;
}

function readKustomization(dir: string): Kustomization {
  const file = KUSTOMIZATION_FILES.map((name) => join(dir, name)).find((path) => existsSync(path));
  if (file === undefined) throw new Error(`${dir}: no kustomization.yaml`);
  const [document, ...rest] = parseYaml(file);
  if (rest.length > 0 || !isObject(document)) {
    throw new Error(`${file}: must hold one mapping`);
  }
  const unsupported = Object.keys(document).filter((key) => !KUSTOMIZATION_FIELDS.has(key));
  if (unsupported.length > 0) {
    throw new Error(`${file}: ${unsupported.join(', ')} not supported by this renderer`);
  }
  for (const patch of (document['patches'] ?? []) as JsonObject[]) {
    const keys = Object.keys(patch);
    if (keys.length !== 1 || keys[0] !== 'path') {
      throw new Error(`${file}: only patches given by path alone are supported`);
    }
  }
  return document as unknown as Kustomization;
}

function readObjects(file: string): K8sObject[] {
  return parseYaml(file)
    .filter((document) => document !== null)
    .map((document) => {
      if (!isK8sObject(document)) {
        throw new Error(`${file}: every document needs apiVersion, kind and metadata.name`);
      }
      return document;
    });
}

function parseYaml(file: string): Json[] {
  // YAML 1.1, as kubectl and kustomize read manifests (go-yaml): `0440` is octal, `yes` is true.
  return parseAllDocuments(readFileSync(file, 'utf8'), { version: '1.1' }).map((document) => {
    if (document.errors.length > 0) {
      throw new Error(`${file}: ${document.errors.map((e) => e.message).join('; ')}`);
    }
    return document.toJS() as Json;
  });
}

function applyPatch(objects: K8sObject[], patch: K8sObject, source: string): K8sObject[] {
  const matches = objects.filter((object) => sameResource(object, patch));
  if (matches.length !== 1) {
    throw new Error(
      `${source}: ${patch.kind} ${patch.metadata.name} matches ${matches.length} resources, not 1`,
    );
  }
  return objects.map((object) =>
    object === matches[0]
      ? (strategicMerge(
          object as unknown as JsonObject,
          patch as unknown as JsonObject,
          '',
        ) as K8sObject)
      : object,
  );
}

/** A strategic merge patch: objects merged key by key, `null` deletes, keyed lists by key. */
export function strategicMerge(target: Json, patch: Json, field: string): Json {
  if (isObject(target) && isObject(patch)) {
    const merged: JsonObject = { ...target };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete merged[key];
      else merged[key] = key in target ? strategicMerge(target[key], value, key) : value;
    }
    return merged;
  }
  const mergeKey = MERGE_KEYS[field];
  if (Array.isArray(target) && Array.isArray(patch) && mergeKey !== undefined) {
    const merged = [...target];
    for (const item of patch) {
      const key = isObject(item) ? item[mergeKey] : undefined;
      if (key === undefined) throw new Error(`${field}: patch item without ${mergeKey}`);
      const index = merged.findIndex(
        (existing) => isObject(existing) && existing[mergeKey] === key,
      );
      if (index < 0) merged.push(item);
      else merged[index] = strategicMerge(merged[index], item, '');
    }
    return merged;
  }
  return patch;
}

function withImage(object: K8sObject, rule: ImageRule): K8sObject {
  const rewrite = (container: JsonObject): JsonObject => {
    const image = container['image'];
    if (typeof image !== 'string' || imageName(image) !== rule.name) return container;
    const name = rule.newName ?? rule.name;
    const reference =
      rule.digest !== undefined
        ? `${name}@${rule.digest}`
        : `${name}${rule.newTag !== undefined ? `:${rule.newTag}` : imageSuffix(image)}`;
    return { ...container, image: reference };
  };
  return mapPodSpecs(object, (spec) => ({
    ...spec,
    ...(Array.isArray(spec['containers'])
      ? { containers: spec['containers'].map((c) => rewrite(c as JsonObject)) }
      : {}),
    ...(Array.isArray(spec['initContainers'])
      ? { initContainers: spec['initContainers'].map((c) => rewrite(c as JsonObject)) }
      : {}),
  }));
}

/** The pod specs of the workload kinds the manifests use, rewritten by `rewrite`. */
function mapPodSpecs(object: K8sObject, rewrite: (spec: JsonObject) => JsonObject): K8sObject {
  const spec = object['spec'];
  if (!isObject(spec)) return object;
  const template = spec['template'];
  if (!isObject(template) || !isObject(template['spec'])) return object;
  return {
    ...object,
    spec: { ...spec, template: { ...template, spec: rewrite(template['spec']) } },
  };
}

/** `registry:5000/a/b:tag@sha256:…` → `registry:5000/a/b` */
function imageName(image: string): string {
  const withoutDigest = image.split('@')[0];
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}

function imageSuffix(image: string): string {
  return image.slice(imageName(image).length);
}

function sameResource(a: K8sObject, b: K8sObject): boolean {
  return a.apiVersion === b.apiVersion && a.kind === b.kind && a.metadata.name === b.metadata.name;
}

function assertUnique(objects: K8sObject[], root: string): void {
  const seen = new Set<string>();
  for (const { apiVersion, kind, metadata } of objects) {
    const id = `${apiVersion}/${kind}/${metadata.namespace ?? ''}/${metadata.name}`;
    if (seen.has(id)) throw new Error(`${root}: ${id} is declared twice`);
    seen.add(id);
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isK8sObject(value: unknown): value is K8sObject {
  return (
    isObject(value) &&
    typeof value['apiVersion'] === 'string' &&
    typeof value['kind'] === 'string' &&
    isObject(value['metadata']) &&
    typeof value['metadata']['name'] === 'string'
  );
}
