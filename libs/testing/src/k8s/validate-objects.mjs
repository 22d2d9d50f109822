// Validates Kubernetes objects against the API's OpenAPI schemas, as compiled by the npm package
// kubernetes-models (one validator per apiVersion and kind). A separate ES module because the
// package is ESM only, which Jest's CommonJS runtime cannot load: k8s-manifests.spec.ts runs it
// as a child process. Reads a JSON array of objects on stdin; writes one line of JSON: the
// problems found, `[]` when every object is valid.
import { readFileSync } from 'node:fs';

const objects = JSON.parse(readFileSync(0, 'utf8'));
const problems = [];
for (const object of objects) {
  const id = `${object.apiVersion} ${object.kind} ${object.metadata?.name}`;
  let Model;
  try {
    const module = await import(`kubernetes-models/${object.apiVersion}/${object.kind}`);
    Model = module[object.kind];
  } catch {
    problems.push({ id, error: 'no schema for this apiVersion and kind' });
    continue;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    problems.push({ id, error: error instanceof Error ? error.message : String(error) });
  }
}
process.stdout.write(`${JSON.stringify(problems)}\n`);
