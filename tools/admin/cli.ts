/**
 * Admin CLI: tenants and API clients straight in Postgres, through the same services as the
 * gateway's /admin routes. `bootstrap-admin` is how an operator gets the first admin client.
 *
 *   SWC_NODE_PROJECT=tools/bench/tsconfig.json node -r @swc-node/register tools/admin/cli.ts <command>
 */
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import {
  ALL_SCOPES,
  ApiClientsService,
  AUTH_ENTITIES,
  AUTH_MIGRATIONS,
  AuthAdminError,
  TenantAlreadyExistsError,
  TenantsService,
  writeSigningKeyFile,
  type ApiClientView,
  type IssuedClientSecret,
  type TenantView,
} from '@event-hub/auth';
import { ensureDatabaseExists, runMigrationsExclusively } from '@event-hub/persistence';
import { parseCommandLine, USAGE, UsageError, type AdminCommand } from './admin-commands';

/** The gateway's migrations table: the auth tables are part of the gateway's schema. */
const DEFAULT_MIGRATIONS_TABLE = 'gateway_migrations';

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  const { action, json } = parsed;
  if (action.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (action.command === 'generate-key') {
    const path = resolve(action.path);
    if (existsSync(path) && !action.force) {
      // Replacing a deployed key invalidates every token signed with it.
      process.stderr.write(`error: ${path} exists; pass --force to replace it\n`);
      return 1;
    }
    writeSigningKeyFile(path, { overwrite: action.force });
    print(json, { path }, `Wrote a new RSA-2048 signing key to ${path} (mode 0600).`);
    return 0;
  }

  loadEnvFile();
  const url = process.env['DATABASE_URL'];
  if (!url) throw new Error('DATABASE_URL is not set (environment or .env)');
  const platformTenantId = process.env['AUTH_PLATFORM_TENANT'] || 'platform';
  await ensureDatabaseExists(url);
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    entities: AUTH_ENTITIES,
    migrations: AUTH_MIGRATIONS,
    migrationsTableName: process.env['AUTH_MIGRATIONS_TABLE'] || DEFAULT_MIGRATIONS_TABLE,
    synchronize: false,
    extra: { max: 2 },
  });
  await dataSource.initialize();
  try {
    await runMigrationsExclusively(dataSource);
    const tenants = new TenantsService(dataSource);
    const clients = new ApiClientsService(dataSource, { platformTenantId });
    await run(action, { tenants, clients, platformTenantId, json });
    return 0;
  } catch (error) {
    if (!(error instanceof AuthAdminError)) throw error;
    process.stderr.write(`error: ${error.code}: ${error.message}\n`);
    return 1;
  } finally {
    await dataSource.destroy();
  }
}

interface Context {
  tenants: TenantsService;
  clients: ApiClientsService;
  platformTenantId: string;
  json: boolean;
}

async function run(
  action: Exclude<AdminCommand, { command: 'help' | 'generate-key' }>,
  { tenants, clients, platformTenantId, json }: Context,
): Promise<void> {
  switch (action.command) {
    case 'create-tenant': {
      const tenant = await tenants.create({ id: action.tenantId, name: action.name });
      print(json, tenant, `Created tenant ${describeTenant(tenant)}`);
      return;
    }
    case 'disable-tenant':
    case 'enable-tenant': {
      const tenant = await tenants.setDisabled(
        action.tenantId,
        action.command === 'disable-tenant',
      );
      print(json, tenant, `Tenant ${describeTenant(tenant)}`);
      return;
    }
    case 'list-tenants': {
      const list = await tenants.list();
      print(json, list, list.map(describeTenant).join('\n') || '(no tenants)');
      return;
    }
    case 'create-client': {
      const issued = await clients.create(action.tenantId, {
        name: action.name,
        scopes: action.scopes,
      });
      printSecret(json, issued, 'Created API client');
      return;
    }
    case 'rotate-client': {
      const issued = await clients.rotate(action.tenantId, action.clientId, {
        revokeIssuedTokens: action.revokeTokens,
      });
      printSecret(json, issued, 'Rotated the secret of API client');
      return;
    }
    case 'revoke-client': {
      const client = await clients.revoke(action.tenantId, action.clientId);
      print(json, client, `Revoked API client ${describeClient(client)}`);
      return;
    }
    case 'list-clients': {
      const list = await clients.list(action.tenantId);
      print(json, list, list.map(describeClient).join('\n') || '(no API clients)');
      return;
    }
    case 'bootstrap-admin': {
      try {
        await tenants.create({ id: platformTenantId, name: 'Platform operators' });
      } catch (error) {
        // Bootstrapping again (a lost secret) adds another admin client to the existing tenant.
        if (!(error instanceof TenantAlreadyExistsError)) throw error;
      }
      const issued = await clients.create(platformTenantId, {
        name: action.name,
        scopes: [...ALL_SCOPES],
      });
      printSecret(json, issued, 'Created admin API client');
      return;
    }
  }
}

function printSecret(json: boolean, issued: IssuedClientSecret, title: string): void {
  print(
    json,
    { ...issued.client, clientSecret: issued.clientSecret },
    [
      `${title} ${describeClient(issued.client)}`,
      `  client_id:     ${issued.client.clientId}`,
      `  client_secret: ${issued.clientSecret}`,
      'Store the secret now: it is not stored and cannot be shown again.',
      'Get a token: curl -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials http://127.0.0.1:8000/oauth/token',
    ].join('\n'),
  );
}

function describeTenant(tenant: TenantView): string {
  return `${tenant.id} "${tenant.name}"${tenant.disabled ? ' (disabled)' : ''}`;
}

function describeClient(client: ApiClientView): string {
  return `${client.clientId} "${client.name}" of ${client.tenantId} [${client.scopes.join(' ')}] ${client.status}`;
}

function print(json: boolean, value: unknown, text: string): void {
  process.stdout.write(`${json ? JSON.stringify(value, null, 2) : text}\n`);
}

/** Same precedence as the services: real environment variables win over the .env file. */
function loadEnvFile(): void {
  const file = process.env['ENV_FILE'] ?? resolve('.env');
  if (existsSync(file)) process.loadEnvFile(file);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
