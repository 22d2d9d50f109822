import { defaultTransactionalIdPrefix } from './produce-transactions';

describe('the default transactional id prefix', () => {
  it('is the same after a restart of the same instance, so the restart fences its predecessor', () => {
    expect(defaultTransactionalIdPrefix('event-hub', 'postgres://db/event_hub')).toBe(
      defaultTransactionalIdPrefix('event-hub', 'postgres://db/event_hub'),
    );
  });

  it('differs between deployments sharing a host, which must not fence each other', () => {
    expect(defaultTransactionalIdPrefix('event-hub', 'postgres://db/a')).not.toBe(
      defaultTransactionalIdPrefix('event-hub', 'postgres://db/b'),
    );
  });
});
