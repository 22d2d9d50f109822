import { Injectable } from '@nestjs/common';

/**
 * Who wants to hear that a client or tenant changed. Lets the services announce changes without
 * knowing the cache that listens (the cache itself depends on the services).
 */
@Injectable()
export class AuthChangeListeners {
  private readonly clientListeners = new Set<(clientId: string) => void>();
  private readonly tenantListeners = new Set<(tenantId: string) => void>();

  onClientChanged(listener: (clientId: string) => void): void {
    this.clientListeners.add(listener);
  }

  onTenantChanged(listener: (tenantId: string) => void): void {
    this.tenantListeners.add(listener);
  }

  clientChanged(clientId: string): void {
    for (const listener of this.clientListeners) listener(clientId);
  }

  tenantChanged(tenantId: string): void {
    for (const listener of this.tenantListeners) listener(tenantId);
  }
}
