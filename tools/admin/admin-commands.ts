import { parseArgs } from 'node:util';
import { ALL_SCOPES, SCOPES } from '@event-hub/auth';

/** One parsed command line of the admin CLI. */
export type AdminCommand =
  | { command: 'create-tenant'; tenantId: string; name: string }
  | { command: 'disable-tenant' | 'enable-tenant'; tenantId: string }
  | { command: 'list-tenants' }
  | { command: 'create-client'; tenantId: string; name: string; scopes: string[] }
  | { command: 'rotate-client'; tenantId: string; clientId: string; revokeTokens: boolean }
  | { command: 'revoke-client'; tenantId: string; clientId: string }
  | { command: 'list-clients'; tenantId: string }
  | { command: 'bootstrap-admin'; name: string }
  | { command: 'generate-key'; path: string; force: boolean }
  | { command: 'help' };

export interface ParsedCommandLine {
  action: AdminCommand;
  /** Print JSON instead of text (for scripts). */
  json: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: npm run admin -- <command> [options]

Tenants and API clients in the gateway's Postgres (DATABASE_URL from the environment or .env);
the auth migrations run first when needed.

Commands:
  create-tenant <tenantId> --name <name>
  disable-tenant <tenantId>            its clients get no tokens, their tokens are refused
  enable-tenant <tenantId>
  list-tenants
  create-client <tenantId> --name <name> --scopes <scope,scope,...>
  rotate-client <tenantId> <clientId> [--revoke-tokens]
                                       new secret; --revoke-tokens also refuses the tokens
                                       issued before (default: they stay valid until they expire)
  revoke-client <tenantId> <clientId>
  list-clients <tenantId>
  bootstrap-admin [--name <name>]      creates the platform tenant if missing and an API client
                                       with every scope; prints its id and secret once
  generate-key <path> [--force]        writes a new RSA-2048 signing key (PEM, mode 0600)

Options:
  --json                               print JSON
  -h, --help

Scopes: ${ALL_SCOPES.join(', ')} (${SCOPES.admin} only in the platform tenant)`;

const OPTIONS = {
  name: { type: 'string' },
  scopes: { type: 'string' },
  'revoke-tokens': { type: 'boolean', default: false },
  force: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Reads `argv` (without node and the script); throws {@link UsageError} on any mistake. */
export function parseCommandLine(argv: string[]): ParsedCommandLine {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const json = values.json;
  const [command, ...args] = positionals;
  if (values.help || command === undefined || command === 'help') {
    return { action: { command: 'help' }, json };
  }

  const expect = (count: number, names: string): string[] => {
    if (args.length !== count) {
      throw new UsageError(`${command} takes ${count === 0 ? 'no arguments' : names}`);
    }
    return args;
  };
  const required = (option: 'name' | 'scopes'): string => {
    const value = values[option];
    if (value === undefined || value.trim() === '') {
      throw new UsageError(`${command} needs --${option}`);
    }
    return value.trim();
  };
  const unexpected = (...options: (keyof typeof OPTIONS)[]): void => {
    for (const option of options) {
      const value = values[option];
      if (value !== undefined && value !== false) {
        throw new UsageError(`${command} does not take --${option}`);
      }
    }
  };

  switch (command) {
    case 'create-tenant': {
      unexpected('scopes', 'revoke-tokens', 'force');
      const [tenantId] = expect(1, '<tenantId>');
      return { action: { command, tenantId: String(tenantId), name: required('name') }, json };
    }
    case 'disable-tenant':
    case 'enable-tenant':
    case 'list-clients': {
      unexpected('name', 'scopes', 'revoke-tokens', 'force');
      const [tenantId] = expect(1, '<tenantId>');
      return { action: { command, tenantId: String(tenantId) }, json };
    }
    case 'list-tenants':
      unexpected('name', 'scopes', 'revoke-tokens', 'force');
      expect(0, '');
      return { action: { command }, json };
    case 'create-client': {
      unexpected('revoke-tokens', 'force');
      const [tenantId] = expect(1, '<tenantId>');
      const scopes = required('scopes')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      return {
        action: { command, tenantId: String(tenantId), name: required('name'), scopes },
        json,
      };
    }
    case 'rotate-client': {
      unexpected('name', 'scopes', 'force');
      const [tenantId, clientId] = expect(2, '<tenantId> <clientId>');
      return {
        action: {
          command,
          tenantId: String(tenantId),
          clientId: String(clientId),
          revokeTokens: values['revoke-tokens'],
        },
        json,
      };
    }
    case 'revoke-client': {
      unexpected('name', 'scopes', 'revoke-tokens', 'force');
      const [tenantId, clientId] = expect(2, '<tenantId> <clientId>');
      return { action: { command, tenantId: String(tenantId), clientId: String(clientId) }, json };
    }
    case 'bootstrap-admin':
      unexpected('scopes', 'revoke-tokens', 'force');
      expect(0, '');
      return { action: { command, name: values.name?.trim() || 'platform-admin' }, json };
    case 'generate-key': {
      unexpected('name', 'scopes', 'revoke-tokens');
      const [path] = expect(1, '<path>');
      return { action: { command, path: String(path), force: values.force }, json };
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}
