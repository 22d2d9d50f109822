import { parseScopeParameter } from '../scopes/scopes';
import { OAuthError } from './oauth-error';

export const CLIENT_CREDENTIALS_GRANT = 'client_credentials';

/** A well-formed client-credentials token request (not yet authenticated). */
export interface TokenRequest {
  clientId: string;
  clientSecret: string;
  /** Requested scopes; empty means "all of the client's". */
  scopes: string[];
  /** How the client authenticated, for metrics. */
  authMethod: 'client_secret_basic' | 'client_secret_post';
}

const MAX_PARAMETER_LENGTH = 1024;

/**
 * Reads a token request from its body (form or JSON, already parsed) and its Authorization header,
 * following RFC 6749 §2.3.1, §3.2 and §4.4.2: one authentication method only, no repeated
 * parameters, `grant_type=client_credentials`.
 */
export function parseTokenRequest(body: unknown, authorization: string | undefined): TokenRequest {
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
    throw new OAuthError('invalid_request', 'The request body must be a form or a JSON object');
  }
  const params = (body ?? {}) as Record<string, unknown>;
  const grantType = parameter(params, 'grant_type');
  const bodyClientId = parameter(params, 'client_id');
  const bodyClientSecret = parameter(params, 'client_secret');
  const scope = parameter(params, 'scope');

  if (grantType === undefined) {
    throw new OAuthError('invalid_request', 'Missing grant_type');
  }
  if (grantType !== CLIENT_CREDENTIALS_GRANT) {
    throw new OAuthError(
      'unsupported_grant_type',
      `Only the client_credentials grant is supported (got "${truncate(grantType)}")`,
    );
  }

  let credentials: Omit<TokenRequest, 'scopes'>;
  if (authorization !== undefined) {
    const basic = parseBasicCredentials(authorization);
    if (bodyClientSecret !== undefined) {
      throw new OAuthError(
        'invalid_request',
        'Send the client credentials either with HTTP Basic or in the body, not both',
      );
    }
    if (bodyClientId !== undefined && bodyClientId !== basic.clientId) {
      throw new OAuthError('invalid_request', 'client_id differs from the HTTP Basic user name');
    }
    credentials = { ...basic, authMethod: 'client_secret_basic' };
  } else if (bodyClientId !== undefined || bodyClientSecret !== undefined) {
    if (bodyClientId === undefined || bodyClientSecret === undefined) {
      throw new OAuthError(
        'invalid_client',
        'Both client_id and client_secret are required',
        400,
        'missing_credentials',
      );
    }
    credentials = {
      clientId: bodyClientId,
      clientSecret: bodyClientSecret,
      authMethod: 'client_secret_post',
    };
  } else {
    throw new OAuthError(
      'invalid_client',
      'Client authentication required (HTTP Basic or client_id and client_secret)',
      401,
      'missing_credentials',
    );
  }

  const scopes = scope === undefined ? [] : parseScopeParameter(scope);
  if (scopes === undefined) {
    throw new OAuthError('invalid_scope', 'scope must be a space-separated list of scopes');
  }
  return { ...credentials, scopes };
}

/**
 * `Authorization: Basic base64(client_id:client_secret)`, each part form-urlencoded first
 * (RFC 6749 §2.3.1). Any other scheme, or a value that does not decode, is `invalid_client` with
 * a Basic challenge.
 */
export function parseBasicCredentials(header: string): { clientId: string; clientSecret: string } {
  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header);
  if (!match) {
    throw new OAuthError(
      'invalid_client',
      'Client authentication must use the HTTP Basic scheme',
      401,
      'malformed_basic',
    );
  }
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const clientId = colon < 0 ? undefined : formDecode(decoded.slice(0, colon));
  const clientSecret = colon < 0 ? undefined : formDecode(decoded.slice(colon + 1));
  if (!clientId || !clientSecret) {
    throw new OAuthError(
      'invalid_client',
      'HTTP Basic credentials must be base64(client_id:client_secret)',
      401,
      'malformed_basic',
    );
  }
  return { clientId, clientSecret };
}

function parameter(params: Record<string, unknown>, name: string): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(params, name)) return undefined;
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) {
    throw new OAuthError('invalid_request', `Parameter ${name} must not be repeated`);
  }
  if (typeof value !== 'string') {
    throw new OAuthError('invalid_request', `Parameter ${name} must be a string`);
  }
  if (value.length > MAX_PARAMETER_LENGTH) {
    throw new OAuthError('invalid_request', `Parameter ${name} is too long`);
  }
  return value;
}

function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    // Not percent-encoded after all: take it as sent.
    return value;
  }
}

function truncate(value: string): string {
  return value.length > 50 ? `${value.slice(0, 50)}…` : value;
}
