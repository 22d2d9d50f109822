import type { ApiClientsService, ApiClientStatus } from '../clients/api-clients.service';
import type { TenantsService } from '../tenants/tenants.service';
import { TtlCache } from '../support/ttl-cache';
import { AuthUnavailableError } from './auth-failure';

export interface TenantStatus {
  disabled: boolean;
}

/** While Postgres is unreachable, the last known state is trusted this much longer. */
const STALE_IF_ERROR_MS = 60_000;
const MAX_ENTRIES = 50_000;

/**
 * What every token check asks Postgres (is the client revoked, is its tenant disabled), cached for
 * a few seconds so a busy route does not cost a query per request. Changes made through this
 * process (admin routes) are forgotten at once; those made elsewhere (another replica, the CLI)
 * are seen within the TTL.
 */
export class AuthStateCache {
  private readonly clients: TtlCache<string, ApiClientStatus | null>;
  private readonly tenants: TtlCache<string, TenantStatus | null>;

  constructor(
    private readonly clientsService: ApiClientsService,
    private readonly tenantsService: TenantsService,
    ttlMs: number,
    clock?: () => number,
  ) {
    const options = { ttlMs, staleIfErrorMs: STALE_IF_ERROR_MS, maxEntries: MAX_ENTRIES, clock };
    this.clients = new TtlCache(options);
    this.tenants = new TtlCache(options);
  }

  async clientStatus(clientId: string): Promise<ApiClientStatus | null> {
    try {
      return await this.clients.get(
        clientId,
        async () => (await this.clientsService.status(clientId)) ?? null,
      );
    } catch (error) {
      throw new AuthUnavailableError('store', { cause: error });
    }
  }

  async tenantStatus(tenantId: string): Promise<TenantStatus | null> {
    try {
      return await this.tenants.get(tenantId, async () => {
        const tenant = await this.tenantsService.find(tenantId);
        return tenant ? { disabled: tenant.disabled } : null;
      });
    } catch (error) {
      throw new AuthUnavailableError('store', { cause: error });
    }
  }

  forgetClient(clientId: string): void {
    this.clients.delete(clientId);
  }

  forgetTenant(tenantId: string): void {
    this.tenants.delete(tenantId);
    // A tenant's state is folded into each of its clients' entries.
    this.clients.clear();
  }
}
