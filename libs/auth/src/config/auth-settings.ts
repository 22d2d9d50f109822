import { readFileSync } from 'node:fs';
import { InvalidEnvironmentError, validateEnvironment } from '@event-hub/service-runtime';
import {
  InvalidKeyError,
  loadSigningKey,
  loadVerificationKey,
  SigningKeyring,
  type VerificationKey,
} from '../keys/signing-keys';
import { AuthEnvironment, isExternalAlgorithm, type ExternalAlgorithm } from './auth.environment';

/** Tokens of an external identity provider that are accepted besides our own. */
export interface ExternalIssuerSettings {
  jwksUrl: string;
  issuer: string;
  audience: string;
  tenantClaim: string;
  scopeClaim: string;
  clientIdClaim: string;
  algorithms: ExternalAlgorithm[];
}

/** Authentication settings, resolved and checked once at start. */
export interface AuthSettings {
  issuer: string;
  audience: string;
  tokenTtlSeconds: number;
  clockToleranceSeconds: number;
  clientCacheTtlMs: number;
  /** Failed token requests allowed per client id and per address within the window. */
  tokenFailureLimits: { maxPerClient: number; maxPerAddress: number; windowMs: number };
  verifiedSecretTtlMs: number;
  platformTenantId: string;
  keyring: SigningKeyring;
  external?: ExternalIssuerSettings;
}

export const validateAuthEnvironment = validateEnvironment(AuthEnvironment);

/**
 * Reads the AUTH_* variables: validates them, loads the signing key (and the previous public key)
 * and checks the external issuer is configured completely or not at all. Every problem is
 * collected and thrown as one {@link InvalidEnvironmentError} naming each variable.
 */
export function resolveAuthSettings(raw: Record<string, unknown>): AuthSettings {
  const env = validateAuthEnvironment(presentAuthVariables(raw));
  const problems: string[] = [];

  const privatePem = readPem(
    env.AUTH_JWT_PRIVATE_KEY,
    env.AUTH_JWT_PRIVATE_KEY_FILE,
    'AUTH_JWT_PRIVATE_KEY',
    problems,
  );
  if (privatePem === undefined && !problems.some((p) => p.startsWith('AUTH_JWT_PRIVATE_KEY'))) {
    problems.push(
      'AUTH_JWT_PRIVATE_KEY (missing): set AUTH_JWT_PRIVATE_KEY (PEM) or AUTH_JWT_PRIVATE_KEY_FILE (path) to an RSA private key',
    );
  }
  let current;
  if (privatePem !== undefined) {
    try {
      current = loadSigningKey(privatePem);
    } catch (error) {
      problems.push(
        `${keyVariable(env.AUTH_JWT_PRIVATE_KEY_FILE, 'AUTH_JWT_PRIVATE_KEY')}: ${describeKeyError(error)}`,
      );
    }
  }

  const previous = readVerificationKey(
    env.AUTH_JWT_PREVIOUS_PUBLIC_KEY,
    env.AUTH_JWT_PREVIOUS_PUBLIC_KEY_FILE,
    'AUTH_JWT_PREVIOUS_PUBLIC_KEY',
    problems,
  );

  const external = resolveExternalIssuer(env, problems);

  if (problems.length > 0 || !current) throw new InvalidEnvironmentError(problems);

  return {
    issuer: env.AUTH_JWT_ISSUER,
    audience: env.AUTH_JWT_AUDIENCE,
    tokenTtlSeconds: env.AUTH_TOKEN_TTL_SECONDS,
    clockToleranceSeconds: env.AUTH_CLOCK_TOLERANCE_SECONDS,
    clientCacheTtlMs: env.AUTH_CLIENT_CACHE_TTL_MS,
    tokenFailureLimits: {
      maxPerClient: env.AUTH_TOKEN_MAX_FAILURES_PER_CLIENT,
      maxPerAddress: env.AUTH_TOKEN_MAX_FAILURES_PER_ADDRESS,
      windowMs: env.AUTH_TOKEN_FAILURE_WINDOW_SECONDS * 1000,
    },
    verifiedSecretTtlMs: env.AUTH_VERIFIED_SECRET_TTL_SECONDS * 1000,
    platformTenantId: env.AUTH_PLATFORM_TENANT,
    keyring: new SigningKeyring(current, previous),
    ...(external ? { external } : {}),
  };
}

/** An RSA public key from the variable or the file it names (undefined when neither is set). */
export function readVerificationKey(
  inline: string | undefined,
  file: string | undefined,
  name: string,
  problems: string[],
): VerificationKey | undefined {
  const pem = readPem(inline, file, name, problems);
  if (pem === undefined) return undefined;
  try {
    return loadVerificationKey(pem);
  } catch (error) {
    problems.push(`${keyVariable(file, name)}: ${describeKeyError(error)}`);
    return undefined;
  }
}

/**
 * The external identity provider, when AUTH_EXTERNAL_JWKS_URL, _ISSUER and _AUDIENCE are all set;
 * a partial configuration or an issuer equal to ours is added to `problems`.
 */
export function resolveExternalIssuer(
  env: AuthEnvironment,
  problems: string[],
): ExternalIssuerSettings | undefined {
  const externalVariables = {
    AUTH_EXTERNAL_JWKS_URL: env.AUTH_EXTERNAL_JWKS_URL,
    AUTH_EXTERNAL_ISSUER: env.AUTH_EXTERNAL_ISSUER,
    AUTH_EXTERNAL_AUDIENCE: env.AUTH_EXTERNAL_AUDIENCE,
  };
  const setExternal = Object.entries(externalVariables).filter(([, v]) => v !== undefined);
  if (setExternal.length > 0 && setExternal.length < 3) {
    for (const [name, value] of Object.entries(externalVariables)) {
      if (value === undefined) {
        problems.push(
          `${name} (missing): AUTH_EXTERNAL_JWKS_URL, AUTH_EXTERNAL_ISSUER and AUTH_EXTERNAL_AUDIENCE go together`,
        );
      }
    }
  }
  if (env.AUTH_EXTERNAL_ISSUER !== undefined && env.AUTH_EXTERNAL_ISSUER === env.AUTH_JWT_ISSUER) {
    problems.push(
      `AUTH_EXTERNAL_ISSUER (${JSON.stringify(env.AUTH_EXTERNAL_ISSUER)}): must differ from AUTH_JWT_ISSUER`,
    );
  }
  if (setExternal.length < 3) return undefined;
  return {
    jwksUrl: String(env.AUTH_EXTERNAL_JWKS_URL),
    issuer: String(env.AUTH_EXTERNAL_ISSUER),
    audience: String(env.AUTH_EXTERNAL_AUDIENCE),
    tenantClaim: env.AUTH_EXTERNAL_TENANT_CLAIM,
    scopeClaim: env.AUTH_EXTERNAL_SCOPE_CLAIM,
    clientIdClaim: env.AUTH_EXTERNAL_CLIENT_ID_CLAIM,
    algorithms: [...new Set(env.AUTH_EXTERNAL_ALGORITHMS.split(','))].filter(isExternalAlgorithm),
  };
}

/** AUTH_* variables with empty and undefined ones left out, so the defaults apply to them. */
export function presentAuthVariables(raw: Record<string, unknown>): Record<string, unknown> {
  // An empty variable (`AUTH_EXTERNAL_ISSUER=` in a .env file) means "not set", and so does an
  // undefined one (it would otherwise replace the default).
  return Object.fromEntries(
    Object.entries(raw).filter(
      ([key, value]) =>
        key.startsWith('AUTH_') && value !== '' && value !== undefined && value !== null,
    ),
  );
}

/** The PEM from the variable itself or from the file it names; both at once is an error. */
function readPem(
  inline: string | undefined,
  file: string | undefined,
  name: string,
  problems: string[],
): string | undefined {
  if (inline !== undefined && file !== undefined) {
    problems.push(`${name} and ${name}_FILE: set one of them, not both`);
    return undefined;
  }
  // Environment files and orchestrators often carry a PEM on one line with literal "\n".
  if (inline !== undefined) return inline.replace(/\\n/g, '\n');
  if (file === undefined) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(
      `${name}_FILE (${JSON.stringify(file)}): cannot be read (${describeKeyError(error)})`,
    );
    return undefined;
  }
}

function keyVariable(file: string | undefined, name: string): string {
  return file === undefined ? `${name} ([redacted])` : `${name}_FILE (${JSON.stringify(file)})`;
}

export function describeKeyError(error: unknown): string {
  if (error instanceof InvalidKeyError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
