import { Client } from 'pg';
import type { TenantCaller } from './platform-clients';

export interface CallAnswer<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** One HTTP call to an app as a tenant's client, JSON in and out. */
export async function callAs<T = unknown>(
  baseUrl: string,
  as: TenantCaller,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<CallAnswer<T>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...as.headers,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : undefined) as T,
    headers: response.headers,
  };
}

/** One query on a fresh connection (the suites look into the apps' database to count rows). */
export async function queryDatabase<T>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}
