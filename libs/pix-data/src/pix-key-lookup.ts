import type { DataSource } from 'typeorm';

/**
 * Which of these keys are registered in the tenant already. The gateway asks before accepting an
 * account (a 409 naming the key) and the processor after the ledger refused one (the FAILED reply
 * naming it).
 */
export function findTakenPixKeys(
  db: DataSource,
  tenantId: string,
  keys: readonly { type: string; value: string }[],
): Promise<{ type: string; value: string }[]> {
  if (keys.length === 0) return Promise.resolve([]);
  return db.query(
    `SELECT type, value FROM pix_keys
     WHERE tenant_id = $1 AND (type, value) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
    [tenantId, keys.map((k) => k.type), keys.map((k) => k.value)],
  );
}
