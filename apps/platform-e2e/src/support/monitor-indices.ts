import type { Client } from '@elastic/elasticsearch';

/** Removes what a suite's monitor created under its own index prefix: its indices and template. */
export async function deleteMonitorIndices(es: Client, indexPrefix: string): Promise<void> {
  await es.indices
    .delete({ index: `${indexPrefix}-*`, ignore_unavailable: true, allow_no_indices: true })
    .catch(() => undefined);
  await es.indices.deleteIndexTemplate({ name: indexPrefix }).catch(() => undefined);
}
