/**
 * Errors of tenant and client administration. Each has a stable `code`; the HTTP status of every
 * code is decided once, in {@link AUTH_ADMIN_HTTP_ERRORS}, and the CLI prints the same code.
 */
export abstract class AuthAdminError extends Error {
  abstract readonly code: AuthAdminErrorCode;
  /** Which input was wrong, as `body.<field>` / `params.<field>`, when one was. */
  readonly field?: string;
}

export class InvalidTenantIdError extends AuthAdminError {
  readonly code = 'TENANT.INVALID_ID';
  override readonly field = 'id';
  constructor(id: string) {
    super(
      `Tenant id "${id}" must be 2-63 lowercase letters, digits or dashes, not starting with a dash`,
    );
  }
}

export class TenantAlreadyExistsError extends AuthAdminError {
  readonly code = 'TENANT.ALREADY_EXISTS';
  constructor(id: string) {
    super(`Tenant "${id}" already exists`);
  }
}

export class TenantNotFoundError extends AuthAdminError {
  readonly code = 'TENANT.NOT_FOUND';
  constructor(id: string) {
    super(`No tenant "${id}"`);
  }
}

export class TenantDisabledError extends AuthAdminError {
  readonly code = 'TENANT.DISABLED';
  constructor(id: string) {
    super(`Tenant "${id}" is disabled`);
  }
}

export class ClientNotFoundError extends AuthAdminError {
  readonly code = 'CLIENT.NOT_FOUND';
  constructor(tenantId: string, clientId: string) {
    super(`Tenant "${tenantId}" has no API client "${clientId}"`);
  }
}

export class ClientRevokedError extends AuthAdminError {
  readonly code = 'CLIENT.REVOKED';
  constructor(clientId: string) {
    super(`API client "${clientId}" is revoked; create a new one`);
  }
}

export class InvalidScopesError extends AuthAdminError {
  readonly code = 'CLIENT.INVALID_SCOPES';
  override readonly field = 'scopes';
  constructor(reason: string) {
    super(reason);
  }
}

export class InvalidNameError extends AuthAdminError {
  readonly code = 'INVALID_NAME';
  override readonly field = 'name';
  constructor() {
    super('name must be 1-200 characters');
  }
}

export const AUTH_ADMIN_HTTP_ERRORS = {
  'TENANT.INVALID_ID': { status: 400, title: 'Invalid tenant id' },
  'TENANT.ALREADY_EXISTS': { status: 409, title: 'Tenant already exists' },
  'TENANT.NOT_FOUND': { status: 404, title: 'Tenant not found' },
  'TENANT.DISABLED': { status: 409, title: 'Tenant disabled' },
  'CLIENT.NOT_FOUND': { status: 404, title: 'API client not found' },
  'CLIENT.REVOKED': { status: 409, title: 'API client revoked' },
  'CLIENT.INVALID_SCOPES': { status: 400, title: 'Scopes not allowed' },
  INVALID_NAME: { status: 400, title: 'Invalid name' },
} as const;

export type AuthAdminErrorCode = keyof typeof AUTH_ADMIN_HTTP_ERRORS;
