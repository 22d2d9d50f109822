import type { Scope } from '@event-hub/auth';
import type { ClientCredentials } from '@event-hub/testing';

/** A tenant's client as the e2e suites act through it: its token and the header carrying it. */
export interface TenantCaller extends ClientCredentials {
  tenantId: string;
  token: string;
  headers: { authorization: string };
}

/** POST /oauth/token with HTTP Basic client authentication. */
export async function tokenFor(baseUrl: string, client: ClientCredentials): Promise<string> {
  const response = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  const body = (await response.json()) as { access_token?: string };
  if (response.status !== 200 || !body.access_token) {
    throw new Error(`token refused (${response.status}): ${JSON.stringify(body)}`);
  }
  return body.access_token;
}

/** Creates a tenant and a client of it through the admin API, and gets the client a token. */
export async function createTenantCaller(
  baseUrl: string,
  adminToken: string,
  tenantId: string,
  scopes: Scope[],
  limits?: Record<string, number>,
): Promise<TenantCaller> {
  const admin = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  const tenant = await fetch(`${baseUrl}/admin/tenants`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({
      id: tenantId,
      name: `Tenant ${tenantId}`,
      ...(limits ? { limits } : {}),
    }),
  });
  if (tenant.status !== 201)
    throw new Error(`tenant refused (${tenant.status}): ${await tenant.text()}`);
  const client = await fetch(`${baseUrl}/admin/tenants/${tenantId}/clients`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ name: 'e2e', scopes }),
  });
  if (client.status !== 201)
    throw new Error(`client refused (${client.status}): ${await client.text()}`);
  const issued = (await client.json()) as { clientId: string; clientSecret: string };
  const credentials = { clientId: issued.clientId, clientSecret: issued.clientSecret };
  const token = await tokenFor(baseUrl, credentials);
  return { tenantId, ...credentials, token, headers: { authorization: `Bearer ${token}` } };
}
