import { OAuthError } from './oauth-error';
import { parseBasicCredentials, parseTokenRequest } from './token-request';

const basic = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

function refusal(run: () => unknown): OAuthError {
  try {
    run();
  } catch (error) {
    if (error instanceof OAuthError) return error;
    throw error;
  }
  throw new Error('expected an OAuthError');
}

describe('parseBasicCredentials', () => {
  it('splits base64(client_id:client_secret) at the first colon', () => {
    expect(parseBasicCredentials(basic('ehc_a', 'ehs_b:c'))).toEqual({
      clientId: 'ehc_a',
      clientSecret: 'ehs_b:c',
    });
  });

  it('form-decodes both parts (RFC 6749 §2.3.1)', () => {
    expect(parseBasicCredentials(basic('my%20client', 'p%3Aw+d'))).toEqual({
      clientId: 'my client',
      clientSecret: 'p:w d',
    });
  });

  it('accepts the scheme name in any case', () => {
    expect(parseBasicCredentials(basic('a', 'b').replace('Basic', 'bAsIc')).clientId).toBe('a');
  });

  it.each([
    ['another scheme', 'Bearer abc'],
    ['no colon', `Basic ${Buffer.from('nocolon').toString('base64')}`],
    ['an empty secret', basic('id', '')],
    ['an empty id', basic('', 'secret')],
    ['not base64', 'Basic !!!'],
  ])('refuses %s as invalid_client with a Basic challenge', (_case, header) => {
    const error = refusal(() => parseBasicCredentials(header));
    expect(error.error).toBe('invalid_client');
    expect(error.status).toBe(401);
    expect(error.challenge).toMatch(/^Basic realm=/);
  });
});

describe('parseTokenRequest', () => {
  const grant = { grant_type: 'client_credentials' };

  it('takes the credentials from the body (client_secret_post)', () => {
    expect(
      parseTokenRequest(
        { ...grant, client_id: 'ehc_a', client_secret: 'ehs_b', scope: 'admin' },
        undefined,
      ),
    ).toEqual({
      clientId: 'ehc_a',
      clientSecret: 'ehs_b',
      scopes: ['admin'],
      authMethod: 'client_secret_post',
    });
  });

  it('takes the credentials from HTTP Basic (client_secret_basic), with no scope meaning all', () => {
    expect(parseTokenRequest(grant, basic('ehc_a', 'ehs_b'))).toEqual({
      clientId: 'ehc_a',
      clientSecret: 'ehs_b',
      scopes: [],
      authMethod: 'client_secret_basic',
    });
  });

  it('accepts the same client_id in the body alongside Basic', () => {
    expect(parseTokenRequest({ ...grant, client_id: 'ehc_a' }, basic('ehc_a', 's')).clientId).toBe(
      'ehc_a',
    );
  });

  it.each<[string, unknown, string | undefined, string, number]>([
    [
      'a missing grant_type',
      { client_id: 'a', client_secret: 'b' },
      undefined,
      'invalid_request',
      400,
    ],
    [
      'another grant',
      { grant_type: 'password', client_id: 'a', client_secret: 'b' },
      undefined,
      'unsupported_grant_type',
      400,
    ],
    [
      'a repeated parameter',
      { grant_type: ['client_credentials', 'client_credentials'] },
      undefined,
      'invalid_request',
      400,
    ],
    [
      'a non-string parameter',
      { grant_type: 'client_credentials', client_id: 7, client_secret: 'b' },
      undefined,
      'invalid_request',
      400,
    ],
    [
      'a body that is not an object',
      'grant_type=client_credentials',
      undefined,
      'invalid_request',
      400,
    ],
    [
      'Basic and a body secret together',
      { grant_type: 'client_credentials', client_secret: 'b' },
      basic('a', 'b'),
      'invalid_request',
      400,
    ],
    [
      'a body client_id differing from Basic',
      { grant_type: 'client_credentials', client_id: 'x' },
      basic('a', 'b'),
      'invalid_request',
      400,
    ],
    [
      'no credentials at all',
      { grant_type: 'client_credentials' },
      undefined,
      'invalid_client',
      401,
    ],
    [
      'a client_id without its secret',
      { grant_type: 'client_credentials', client_id: 'a' },
      undefined,
      'invalid_client',
      400,
    ],
    [
      'a malformed scope',
      { grant_type: 'client_credentials', client_id: 'a', client_secret: 'b', scope: 'a  b' },
      undefined,
      'invalid_scope',
      400,
    ],
  ])('refuses %s', (_case, body, authorization, code, status) => {
    const error = refusal(() => parseTokenRequest(body, authorization));
    expect(error.toJSON()).toEqual({ error: code, error_description: expect.any(String) });
    expect(error.status).toBe(status);
  });
});
