import { parseCommandLine, UsageError } from './admin-commands';

describe('admin CLI command line', () => {
  it('reads each command with its arguments and options', () => {
    expect(parseCommandLine(['create-tenant', 'acme', '--name', 'ACME Corp'])).toEqual({
      action: { command: 'create-tenant', tenantId: 'acme', name: 'ACME Corp' },
      json: false,
    });
    expect(
      parseCommandLine([
        'create-client',
        'acme',
        '--name',
        'orders',
        '--scopes',
        'events:produce, events:consume',
        '--json',
      ]),
    ).toEqual({
      action: {
        command: 'create-client',
        tenantId: 'acme',
        name: 'orders',
        scopes: ['events:produce', 'events:consume'],
      },
      json: true,
    });
    expect(parseCommandLine(['rotate-client', 'acme', 'ehc_x', '--revoke-tokens']).action).toEqual({
      command: 'rotate-client',
      tenantId: 'acme',
      clientId: 'ehc_x',
      revokeTokens: true,
    });
    expect(parseCommandLine(['revoke-client', 'acme', 'ehc_x']).action).toEqual({
      command: 'revoke-client',
      tenantId: 'acme',
      clientId: 'ehc_x',
    });
    expect(parseCommandLine(['list-tenants']).action).toEqual({ command: 'list-tenants' });
    expect(parseCommandLine(['list-clients', 'acme']).action).toEqual({
      command: 'list-clients',
      tenantId: 'acme',
    });
    expect(parseCommandLine(['bootstrap-admin']).action).toEqual({
      command: 'bootstrap-admin',
      name: 'platform-admin',
    });
    expect(parseCommandLine(['generate-key', '.dev-services/auth/jwt.pem']).action).toEqual({
      command: 'generate-key',
      path: '.dev-services/auth/jwt.pem',
      force: false,
    });
  });

  it('shows the usage for no command, help or -h', () => {
    for (const argv of [[], ['help'], ['-h'], ['list-tenants', '--help']]) {
      expect(parseCommandLine(argv).action).toEqual({ command: 'help' });
    }
  });

  it.each([
    [['unknown']],
    [['create-tenant', 'acme']],
    [['create-tenant', '--name', 'x']],
    [['create-client', 'acme', '--name', 'x']],
    [['rotate-client', 'acme']],
    [['list-tenants', 'extra']],
    [['list-tenants', '--bogus']],
    [['revoke-client', 'acme', 'ehc_x', '--force']],
  ])('refuses %j with a usage error', (argv) => {
    expect(() => parseCommandLine(argv)).toThrow(UsageError);
  });
});
