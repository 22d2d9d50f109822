import { randomBytes } from 'node:crypto';

/** A tenant id no other test uses, valid as a tenant slug (`^[a-z0-9][a-z0-9-]{1,62}$`). */
export function uniqueTenantId(prefix = 't'): string {
  return `${prefix}-${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}
