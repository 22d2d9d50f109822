import { IsNull, type DataSource, type Repository } from 'typeorm';
import {
  ClientNotFoundError,
  ClientRevokedError,
  InvalidNameError,
  InvalidScopesError,
  TenantDisabledError,
  TenantNotFoundError,
} from '../errors';
import { ALL_SCOPES, isScope, normalizeScopes, SCOPES, type Scope } from '../scopes/scopes';
import { SecretHasher } from '../secrets/secret-hasher';
import type { VerifiedSecrets } from '../secrets/verified-secrets';
import { ConcurrencyLimit } from '../support/concurrency-limit';
import { TENANT_ID_PATTERN } from '../tenants/tenants.service';
import { TenantEntity } from '../tenants/tenant.entity';
import { ApiClientEntity } from './api-client.entity';
import { isWellFormedClientId, newClientId, newClientSecret } from './client-credentials';

export interface ApiClientView {
  clientId: string;
  tenantId: string;
  name: string;
  scopes: Scope[];
  status: 'active' | 'revoked';
  createdAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
}

/** A client with its secret, which is shown this once and never again. */
export interface IssuedClientSecret {
  client: ApiClientView;
  clientSecret: string;
}

export interface CreateApiClientInput {
  name: string;
  scopes: string[];
}

export interface RotateSecretOptions {
  /** Also refuse every token issued before the rotation (for a leaked secret). */
  revokeIssuedTokens?: boolean;
}

/**
 * Why client authentication failed; the token endpoint answers `invalid_client` for all but
 * `unchecked` (the secret needed the slow check, which the caller did not allow).
 */
export type ClientAuthenticationFailure =
  'unknown_client' | 'wrong_secret' | 'revoked_client' | 'disabled_tenant' | 'unchecked';

export interface AuthenticateOptions {
  /**
   * Whether a secret not verified recently may be checked with scrypt. Without it only a
   * recently verified secret is accepted (a throttled caller costs no hashing).
   */
  allowSlowCheck?: boolean;
}

export type ClientAuthentication =
  { ok: true; client: ApiClientView } | { ok: false; reason: ClientAuthenticationFailure };

/** What a token check needs to know about the client it names (cached briefly). */
export interface ApiClientStatus {
  tenantId: string;
  revoked: boolean;
  tenantDisabled: boolean;
  /** Tokens with an `iat` (seconds) below this are refused; 0 when none are. */
  tokensValidAfterSeconds: number;
}

export interface ApiClientsServiceOptions {
  /** The operators' tenant: the only one whose clients may hold the `admin` scope. */
  platformTenantId: string;
  hasher?: SecretHasher;
  /** Secrets verified recently, recognised without scrypt. */
  verifiedSecrets?: VerifiedSecrets;
  /** At most this many scrypt checks run at once (default 2). */
  maxConcurrentSecretChecks?: number;
  /** Told about every change that affects token checks, so this process's cache forgets it. */
  onClientChanged?: (clientId: string) => void;
}

/** API clients in Postgres; used alike by the admin routes, the admin CLI and the token endpoint. */
export class ApiClientsService {
  private readonly clients: Repository<ApiClientEntity>;
  private readonly tenants: Repository<TenantEntity>;
  private readonly hasher: SecretHasher;
  private readonly secretChecks: ConcurrencyLimit;
  private dummyHash?: Promise<string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: ApiClientsServiceOptions,
  ) {
    this.clients = dataSource.getRepository(ApiClientEntity);
    this.tenants = dataSource.getRepository(TenantEntity);
    this.hasher = options.hasher ?? new SecretHasher();
    this.secretChecks = new ConcurrencyLimit(options.maxConcurrentSecretChecks ?? 2);
  }

  async create(tenantId: string, input: CreateApiClientInput): Promise<IssuedClientSecret> {
    const name = input.name.trim();
    if (name.length < 1 || name.length > 200) throw new InvalidNameError();
    const scopes = this.checkScopes(tenantId, input.scopes);
    const tenant = await this.requireTenant(tenantId);
    if (tenant.disabled) throw new TenantDisabledError(tenantId);
    const clientSecret = newClientSecret();
    const client = this.clients.create({
      clientId: newClientId(),
      tenantId,
      name,
      scopes,
      secretHash: await this.hasher.hash(clientSecret),
      createdAt: new Date(),
      rotatedAt: null,
      revokedAt: null,
      tokensValidAfter: null,
    });
    await this.clients.insert(client);
    return { client: toClientView(client), clientSecret };
  }

  async list(tenantId: string): Promise<ApiClientView[]> {
    await this.requireTenant(tenantId);
    const rows = await this.clients.find({
      where: { tenantId },
      order: { createdAt: 'ASC', clientId: 'ASC' },
    });
    return rows.map(toClientView);
  }

  async get(tenantId: string, clientId: string): Promise<ApiClientView> {
    return toClientView(await this.requireClient(tenantId, clientId));
  }

  /** A new secret; the old one stops working at once. Refused for a revoked client. */
  async rotate(
    tenantId: string,
    clientId: string,
    options: RotateSecretOptions = {},
  ): Promise<IssuedClientSecret> {
    await this.requireClient(tenantId, clientId);
    const clientSecret = newClientSecret();
    const secretHash = await this.hasher.hash(clientSecret);
    const now = new Date();
    const result = await this.clients
      .createQueryBuilder()
      .update(ApiClientEntity)
      .set({
        secretHash,
        rotatedAt: now,
        ...(options.revokeIssuedTokens ? { tokensValidAfter: wholeSeconds(now) } : {}),
      })
      .where({ clientId, tenantId, revokedAt: IsNull() })
      .execute();
    // Revoked between the read above and this update: a revoked client stays revoked.
    if (!result.affected) throw new ClientRevokedError(clientId);
    this.options.onClientChanged?.(clientId);
    return { client: await this.get(tenantId, clientId), clientSecret };
  }

  /** Revokes the client: no new tokens, and its issued tokens are refused. Idempotent. */
  async revoke(tenantId: string, clientId: string): Promise<ApiClientView> {
    await this.requireClient(tenantId, clientId);
    await this.clients
      .createQueryBuilder()
      .update(ApiClientEntity)
      .set({ revokedAt: new Date() })
      .where({ clientId, tenantId, revokedAt: IsNull() })
      .execute();
    this.options.onClientChanged?.(clientId);
    return this.get(tenantId, clientId);
  }

  /**
   * Checks a client id and secret. An unknown id costs the same scrypt work as a known one, so
   * response times do not tell which ids exist; a secret verified recently costs an HMAC.
   */
  async authenticate(
    clientId: string,
    clientSecret: string,
    { allowSlowCheck = true }: AuthenticateOptions = {},
  ): Promise<ClientAuthentication> {
    const verified = this.options.verifiedSecrets;
    // Without the slow check only a recently verified secret can pass: anything else is turned
    // away before it costs a database read.
    if (!allowSlowCheck && !verified?.mayMatch(clientId, clientSecret)) {
      return { ok: false, reason: 'unchecked' };
    }
    const row = isWellFormedClientId(clientId)
      ? await this.clients
          .createQueryBuilder('client')
          .innerJoinAndMapOne(
            'client.tenant',
            TenantEntity,
            'tenant',
            'tenant.id = client.tenantId',
          )
          .where('client.clientId = :clientId', { clientId })
          .getOne()
      : null;
    if (!row) {
      if (!allowSlowCheck) return { ok: false, reason: 'unchecked' };
      await this.checkSlowly(clientSecret, await this.getDummyHash());
      return { ok: false, reason: 'unknown_client' };
    }
    if (!verified?.matches(row.clientId, row.secretHash, clientSecret)) {
      if (!allowSlowCheck) return { ok: false, reason: 'unchecked' };
      if (!(await this.checkSlowly(clientSecret, row.secretHash))) {
        return { ok: false, reason: 'wrong_secret' };
      }
      verified?.remember(row.clientId, row.secretHash, clientSecret);
    }
    if (row.revokedAt) return { ok: false, reason: 'revoked_client' };
    const tenant = (row as ApiClientEntity & { tenant: TenantEntity }).tenant;
    if (tenant.disabled) return { ok: false, reason: 'disabled_tenant' };
    return { ok: true, client: toClientView(row) };
  }

  /** The state token checks depend on, or undefined for a client id that does not exist. */
  async status(clientId: string): Promise<ApiClientStatus | undefined> {
    if (!isWellFormedClientId(clientId)) return undefined;
    const rows: {
      tenant_id: string;
      revoked: boolean;
      disabled: boolean;
      valid_after: string | null;
    }[] = await this.dataSource.query(
      `SELECT c.tenant_id, c.revoked_at IS NOT NULL AS revoked, t.disabled,
              extract(epoch FROM c.tokens_valid_after)::bigint::text AS valid_after
         FROM api_clients c JOIN tenants t ON t.id = c.tenant_id
        WHERE c.client_id = $1`,
      [clientId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      tenantId: row.tenant_id,
      revoked: row.revoked,
      tenantDisabled: row.disabled,
      tokensValidAfterSeconds: row.valid_after === null ? 0 : Number(row.valid_after),
    };
  }

  private checkScopes(tenantId: string, requested: string[]): Scope[] {
    if (requested.length === 0) throw new InvalidScopesError('at least one scope is required');
    const unknown = requested.filter((scope) => !isScope(scope));
    if (unknown.length > 0) {
      throw new InvalidScopesError(
        `unknown scopes: ${unknown.join(', ')} (known: ${ALL_SCOPES.join(', ')})`,
      );
    }
    // A tenant's client holding `admin` could administer every other tenant.
    if (requested.includes(SCOPES.admin) && tenantId !== this.options.platformTenantId) {
      throw new InvalidScopesError(
        `the admin scope is reserved to clients of the platform tenant "${this.options.platformTenantId}"`,
      );
    }
    return normalizeScopes(requested as Scope[]);
  }

  private async requireTenant(tenantId: string): Promise<TenantEntity> {
    const tenant = TENANT_ID_PATTERN.test(tenantId)
      ? await this.tenants.findOneBy({ id: tenantId })
      : null;
    if (!tenant) throw new TenantNotFoundError(tenantId);
    return tenant;
  }

  private async requireClient(tenantId: string, clientId: string): Promise<ApiClientEntity> {
    await this.requireTenant(tenantId);
    const client = isWellFormedClientId(clientId)
      ? await this.clients.findOneBy({ tenantId, clientId })
      : null;
    if (!client) throw new ClientNotFoundError(tenantId, clientId);
    return client;
  }

  private checkSlowly(secret: string, encoded: string): Promise<boolean> {
    return this.secretChecks.run(() => this.hasher.verify(secret, encoded));
  }

  private getDummyHash(): Promise<string> {
    this.dummyHash ??= this.hasher.hash(newClientSecret());
    return this.dummyHash;
  }
}

export function toClientView(client: ApiClientEntity): ApiClientView {
  return {
    clientId: client.clientId,
    tenantId: client.tenantId,
    name: client.name,
    scopes: normalizeScopes(client.scopes.filter(isScope)),
    status: client.revokedAt ? 'revoked' : 'active',
    createdAt: client.createdAt,
    rotatedAt: client.rotatedAt,
    revokedAt: client.revokedAt,
  };
}

function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}
