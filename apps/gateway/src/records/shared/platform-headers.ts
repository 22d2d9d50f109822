import { EVENT_HEADERS } from '@event-hub/contracts';

/**
 * Headers the gateway sets on every produced record (a client's own headers of these names are
 * replaced). They are the platform's, not the tenant's: neither produce nor consume bills them.
 */
export const PRODUCER_HEADERS = {
  clientId: 'client-id',
  tenantId: EVENT_HEADERS.tenantId,
  contentType: EVENT_HEADERS.contentType,
} as const;

const PLATFORM_HEADER_NAMES = new Set<string>(Object.values(PRODUCER_HEADERS));

export function isPlatformHeader(name: string): boolean {
  return PLATFORM_HEADER_NAMES.has(name.toLowerCase());
}
