/**
 * docs/asyncapi.json and docs/asyncapi.yaml: the AsyncAPI document of libs/contracts as it is
 * checked in. `npm run asyncapi` writes them; asyncapi-files.spec.ts fails when they are stale.
 */
import { join } from 'node:path';
import { buildAsyncApiDocument, type AsyncApiDocument } from '@event-hub/contracts';
import { stringify } from 'yaml';

const repoRoot = join(__dirname, '..', '..');
export const ASYNCAPI_FILES = {
  json: join(repoRoot, 'docs', 'asyncapi.json'),
  yaml: join(repoRoot, 'docs', 'asyncapi.yaml'),
};

/** The document as the gateway serves it. */
export function currentAsyncApiDocument(): AsyncApiDocument {
  return buildAsyncApiDocument();
}

export function renderAsyncApiFiles(document: AsyncApiDocument): { json: string; yaml: string } {
  return {
    json: `${JSON.stringify(document, null, 2)}\n`,
    // No anchors/aliases: schemas shared by reference stay readable as written.
    yaml: stringify(document, { aliasDuplicateObjects: false, lineWidth: 100 }),
  };
}
