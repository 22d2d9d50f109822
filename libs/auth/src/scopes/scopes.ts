/** What an API client may do. A token carries a subset of its client's scopes. */
export const SCOPES = {
  eventsProduce: 'events:produce',
  eventsConsume: 'events:consume',
  topicsAdmin: 'topics:admin',
  schemasWrite: 'schemas:write',
  billingRead: 'billing:read',
  /** Search the monitor's log index: the tenant's own records (operators with `admin`: all). */
  logsRead: 'logs:read',
  /** Platform operators only: tenants and API clients of every tenant. */
  admin: 'admin',
} as const;

export type Scope = (typeof SCOPES)[keyof typeof SCOPES];

export const ALL_SCOPES: readonly Scope[] = Object.values(SCOPES);

export const SCOPE_DESCRIPTIONS: Readonly<Record<Scope, string>> = {
  'events:produce': 'Produce records to the tenant topics',
  'events:consume': 'Consume records from the tenant topics',
  'topics:admin': 'Create, list and delete the tenant topics',
  'schemas:write': 'Register schemas for the tenant subjects',
  'billing:read': 'Read usage and invoices',
  'logs:read': "Search the monitor's records of the tenant (with admin: of every tenant)",
  admin: 'Administer tenants and API clients (platform operators)',
};

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (ALL_SCOPES as readonly string[]).includes(value);
}

/**
 * Splits an OAuth `scope` parameter (RFC 6749 §3.3: space-delimited, case-sensitive). Returns
 * undefined when the value is not a well-formed scope list (empty tokens from double spaces or
 * characters outside %x21 / %x23-5B / %x5D-7E).
 */
export function parseScopeParameter(value: string): string[] | undefined {
  if (value === '') return [];
  const tokens = value.split(' ');
  if (tokens.some((token) => !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(token))) return undefined;
  return [...new Set(tokens)];
}

/** Scopes in a stable order (the order of {@link ALL_SCOPES}), without duplicates. */
export function normalizeScopes(scopes: Iterable<Scope>): Scope[] {
  const set = new Set(scopes);
  return ALL_SCOPES.filter((scope) => set.has(scope));
}

export type ScopeGrant = { granted: Scope[] } | { rejected: string[] };

/**
 * The scopes a token request gets: all of the client's when it asked for none, otherwise exactly
 * what it asked for, provided every one is a scope the client holds.
 */
export function grantScopes(requested: readonly string[], allowed: readonly Scope[]): ScopeGrant {
  if (requested.length === 0) return { granted: normalizeScopes(allowed) };
  const rejected = requested.filter((s) => !isScope(s) || !allowed.includes(s));
  if (rejected.length > 0) return { rejected };
  return { granted: normalizeScopes(requested as Scope[]) };
}

/** The required scopes a principal lacks (empty when it holds them all). */
export function missingScopes(held: readonly string[], required: readonly string[]): string[] {
  return required.filter((scope) => !held.includes(scope));
}
