import { checkAccepted, checkWhoAmI } from './answers';

describe('bench:commands answer checks', () => {
  describe('POST /users', () => {
    it('accepts a 202 carrying a PENDING correlation id', () => {
      expect(
        checkAccepted(202, '{"correlationId":"c-1","status":"PENDING","statusUrl":"/status/c-1"}'),
      ).toEqual({ ok: true, value: { correlationId: 'c-1' } });
    });

    it.each([
      [401, '{"code":"AUTH.MISSING_TOKEN"}', 'HTTP 401'],
      [200, '{"correlationId":"c-1","status":"PENDING"}', 'HTTP 200'],
      [202, 'not json', '202 without a correlationId'],
      [202, '{"status":"PENDING"}', '202 without a correlationId'],
      [202, '{"correlationId":"c-1","status":"FAILED"}', '202 with status FAILED'],
    ])('refuses %i %s', (status, body, problem) => {
      expect(checkAccepted(status, body)).toEqual({ ok: false, problem });
    });
  });

  describe('GET /auth/whoami', () => {
    const bench = { clientId: 'ehc_bench' };

    it('accepts a 200 naming the bench client', () => {
      expect(
        checkWhoAmI(200, '{"tenantId":"demo","clientId":"ehc_bench","scopes":[]}', bench),
      ).toEqual({ ok: true, value: { tenantId: 'demo' } });
    });

    it.each([
      [401, '', 'HTTP 401'],
      [200, '{"tenantId":"demo","clientId":"ehc_other","scopes":[]}', '200 naming another client'],
      [200, '{"clientId":"ehc_bench"}', '200 without tenantId and scopes'],
      [200, '<html>', '200 naming another client'],
    ])('refuses %i %s', (status, body, problem) => {
      expect(checkWhoAmI(status, body, bench)).toEqual({ ok: false, problem });
    });
  });
});
