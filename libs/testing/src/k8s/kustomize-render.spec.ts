import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderKustomization } from './kustomize-render';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kustomize-render-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}

const deployment = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: registry.local:5000/acme/web:1.0
          env: [{ name: A, value: '1' }, { name: B, value: '2' }]
        - name: sidecar
          image: busybox
`;

describe('renderKustomization', () => {
  beforeEach(() => {
    write('base/kustomization.yaml', 'resources: [web.yaml]\n');
    write(
      'base/web.yaml',
      `${deployment}---\napiVersion: v1\nkind: Namespace\nmetadata: { name: ns }\n`,
    );
  });

  it('renders the resources of a base as they are', () => {
    const [web, namespace] = renderKustomization(join(root, 'base'));
    expect(web.metadata).toEqual({ name: 'web' });
    expect(namespace.kind).toBe('Namespace');
  });

  it('sets the namespace on namespaced objects only', () => {
    write('overlay/kustomization.yaml', 'namespace: prod\nresources: [../base]\n');
    const [web, namespace] = renderKustomization(join(root, 'overlay'));
    expect(web.metadata.namespace).toBe('prod');
    expect(namespace.metadata.namespace).toBeUndefined();
  });

  it('retags images by name, keeping registry ports apart from tags', () => {
    write(
      'overlay/kustomization.yaml',
      'resources: [../base]\nimages:\n  - { name: registry.local:5000/acme/web, newTag: "2.0" }\n',
    );
    const [web] = renderKustomization(join(root, 'overlay'));
    expect(web).toMatchObject({
      spec: {
        template: {
          spec: {
            containers: [{ image: 'registry.local:5000/acme/web:2.0' }, { image: 'busybox' }],
          },
        },
      },
    });
  });

  it('merges strategic merge patches: containers and env by name, null deletes', () => {
    write('overlay/kustomization.yaml', 'resources: [../base]\npatches:\n  - path: patch.yaml\n');
    write(
      'overlay/patch.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: null
  template:
    spec:
      containers:
        - name: web
          env: [{ name: B, value: '3' }, { name: C, value: '4' }]
`,
    );
    const [web] = renderKustomization(join(root, 'overlay'));
    expect(web['spec']).toEqual({
      template: {
        spec: {
          containers: [
            {
              name: 'web',
              image: 'registry.local:5000/acme/web:1.0',
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '3' },
                { name: 'C', value: '4' },
              ],
            },
            { name: 'sidecar', image: 'busybox' },
          ],
        },
      },
    });
  });

  it('refuses a patch that matches no resource', () => {
    write('overlay/kustomization.yaml', 'resources: [../base]\npatches:\n  - path: patch.yaml\n');
    write('overlay/patch.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\n');
    expect(() => renderKustomization(join(root, 'overlay'))).toThrow(/matches 0 resources/);
  });

  it('refuses kustomization fields it does not implement instead of ignoring them', () => {
    write('overlay/kustomization.yaml', 'resources: [../base]\ncommonLabels: { a: b }\n');
    expect(() => renderKustomization(join(root, 'overlay'))).toThrow(/commonLabels not supported/);
  });

  it('refuses an object declared twice', () => {
    write('overlay/kustomization.yaml', 'resources: [../base, ../base/web.yaml]\n');
    expect(() => renderKustomization(join(root, 'overlay'))).toThrow(/declared twice/);
  });

  it('reads YAML as kubectl does (1.1): a leading 0 is octal', () => {
    write('octal/kustomization.yaml', 'resources: [secret-volume.yaml]\n');
    write(
      'octal/secret-volume.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { volumes: [{ name: k, secret: { defaultMode: 0440 } }] }\n',
    );
    const [pod] = renderKustomization(join(root, 'octal'));
    expect(pod['spec']).toEqual({ volumes: [{ name: 'k', secret: { defaultMode: 0o440 } }] });
  });
});
