import { PRODUCER_HEADERS } from '../../shared/platform-headers';
import { recordBytes } from './topic-reader';

describe('the bytes a consumed record counts for quota and billing', () => {
  it("counts key, value and the tenant's own headers, as produce does, not the platform's", () => {
    const bytes = recordBytes(Buffer.from('k'), Buffer.from('{"a":1}'), {
      source: 'shop',
      [PRODUCER_HEADERS.clientId]: 'ehc_1',
      [PRODUCER_HEADERS.tenantId]: 'acme',
      [PRODUCER_HEADERS.contentType]: 'application/json',
    });
    expect(bytes).toBe(1 + 7 + 'source'.length + 'shop'.length);
  });

  it('counts an absent key and value as nothing', () => {
    expect(recordBytes(null, null, undefined)).toBe(0);
  });
});
