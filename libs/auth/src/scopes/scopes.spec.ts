import { grantScopes, missingScopes, normalizeScopes, parseScopeParameter, SCOPES } from './scopes';

describe('scopes', () => {
  it('reads the space-separated scope parameter of RFC 6749 §3.3', () => {
    expect(parseScopeParameter('events:produce events:consume')).toEqual([
      'events:produce',
      'events:consume',
    ]);
    expect(parseScopeParameter('admin admin')).toEqual(['admin']);
    expect(parseScopeParameter('')).toEqual([]);
    expect(parseScopeParameter('a  b')).toBeUndefined();
    expect(parseScopeParameter('a\tb')).toBeUndefined();
    expect(parseScopeParameter('"quoted"')).toBeUndefined();
  });

  it("grants all of the client's scopes when none were asked for", () => {
    expect(grantScopes([], [SCOPES.eventsConsume, SCOPES.eventsProduce])).toEqual({
      granted: ['events:produce', 'events:consume'],
    });
  });

  it('grants exactly the requested scopes when they are a subset', () => {
    expect(grantScopes(['events:consume'], [SCOPES.eventsProduce, SCOPES.eventsConsume])).toEqual({
      granted: ['events:consume'],
    });
  });

  it('rejects scopes the client does not hold, and unknown ones, naming them', () => {
    expect(grantScopes(['events:consume', 'admin', 'root'], [SCOPES.eventsConsume])).toEqual({
      rejected: ['admin', 'root'],
    });
  });

  it('lists the required scopes a principal lacks', () => {
    expect(missingScopes(['events:produce'], ['events:produce', 'admin'])).toEqual(['admin']);
    expect(missingScopes(['admin'], [])).toEqual([]);
  });

  it('orders scopes canonically', () => {
    expect(normalizeScopes([SCOPES.admin, SCOPES.eventsProduce, SCOPES.admin])).toEqual([
      'events:produce',
      'admin',
    ]);
  });
});
