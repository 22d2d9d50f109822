import type { Scope, TenantLimits } from '@event-hub/auth';
import type { ClientCredentials } from '@event-hub/testing';
import { expectStatus, type HttpClient } from './http-client';

/** An API client as the bench acts through it. */
export interface BenchCaller {
  clientId: string;
  headers: { authorization: string };
}

/** POST /oauth/token, client credentials grant with HTTP Basic client authentication. */
export async function callerFor(http: HttpClient, client: ClientCredentials): Promise<BenchCaller> {
  const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64');
  const answer = expectStatus(
    await http.send(
      'POST',
      '/oauth/token',
      { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
      'grant_type=client_credentials',
    ),
    'POST /oauth/token',
    200,
  );
  const token = (JSON.parse(answer.body) as { access_token: string }).access_token;
  return { clientId: client.clientId, headers: { authorization: `Bearer ${token}` } };
}

/** A tenant through the admin API, with limits high enough that quotas never pace the bench. */
export async function createTenant(
  http: HttpClient,
  admin: BenchCaller,
  tenantId: string,
  limits: Partial<TenantLimits>,
): Promise<void> {
  expectStatus(
    await http.send(
      'POST',
      '/admin/tenants',
      { ...admin.headers, 'content-type': 'application/json' },
      JSON.stringify({ id: tenantId, name: `Bench ${tenantId}`, limits }),
    ),
    'POST /admin/tenants',
    201,
  );
}

/** A new API client of the tenant through the admin API, and its token. */
export async function createClient(
  http: HttpClient,
  admin: BenchCaller,
  tenantId: string,
  name: string,
  scopes: Scope[],
): Promise<BenchCaller> {
  const answer = expectStatus(
    await http.send(
      'POST',
      `/admin/tenants/${tenantId}/clients`,
      { ...admin.headers, 'content-type': 'application/json' },
      JSON.stringify({ name, scopes }),
    ),
    `POST /admin/tenants/${tenantId}/clients`,
    201,
  );
  return callerFor(http, JSON.parse(answer.body) as ClientCredentials);
}

/** POST /topics; answers the physical Kafka topic. */
export async function createTopic(
  http: HttpClient,
  caller: BenchCaller,
  name: string,
  partitions: number,
): Promise<string> {
  const answer = expectStatus(
    await http.send(
      'POST',
      '/topics',
      { ...caller.headers, 'content-type': 'application/json' },
      JSON.stringify({ name, partitions }),
    ),
    'POST /topics',
    201,
  );
  return (JSON.parse(answer.body) as { kafkaTopic: string }).kafkaTopic;
}

export async function deleteTopic(
  http: HttpClient,
  caller: BenchCaller,
  name: string,
): Promise<void> {
  expectStatus(
    await http.send('DELETE', `/topics/${name}`, caller.headers),
    `DELETE /topics/${name}`,
    204,
    404,
  );
}
