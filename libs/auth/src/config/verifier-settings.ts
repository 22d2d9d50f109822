import { InvalidEnvironmentError } from '@event-hub/service-runtime';
import type { VerificationKey } from '../keys/signing-keys';
import {
  presentAuthVariables,
  readVerificationKey,
  resolveExternalIssuer,
  validateAuthEnvironment,
  type AuthSettings,
  type ExternalIssuerSettings,
} from './auth-settings';

/** Injection token of the resolved {@link TokenVerifierSettings}. */
export const TOKEN_VERIFIER_SETTINGS = Symbol('TOKEN_VERIFIER_SETTINGS');

/** Where the public keys of our own tokens come from: known keys, or the issuer's JWKS. */
export type LocalKeySource = { keys: VerificationKey[] } | { jwksUrl: string };

/** What checking a token needs (no signing key): the gateway and verify-only services alike. */
export interface TokenVerifierSettings {
  issuer: string;
  audience: string;
  clockToleranceSeconds: number;
  platformTenantId: string;
  localKeys: LocalKeySource;
  external?: ExternalIssuerSettings;
}

/** The issuing service verifies with its own keyring. */
export function verifierSettingsOf(settings: AuthSettings): TokenVerifierSettings {
  const { current, previous } = settings.keyring;
  return {
    issuer: settings.issuer,
    audience: settings.audience,
    clockToleranceSeconds: settings.clockToleranceSeconds,
    platformTenantId: settings.platformTenantId,
    localKeys: { keys: previous ? [current, previous] : [current] },
    ...(settings.external ? { external: settings.external } : {}),
  };
}

const KEY_SOURCES = ['AUTH_JWKS_URL', 'AUTH_JWT_PUBLIC_KEY', 'AUTH_JWT_PUBLIC_KEY_FILE'] as const;

/**
 * Reads the AUTH_* variables of a service that verifies tokens but never issues them: exactly one
 * of AUTH_JWKS_URL (the gateway's JWKS), AUTH_JWT_PUBLIC_KEY or AUTH_JWT_PUBLIC_KEY_FILE (plus
 * AUTH_JWT_PREVIOUS_PUBLIC_KEY during a rotation), the issuer, audience, platform tenant, and the
 * external identity provider as the gateway reads them. Problems are thrown together, named.
 */
export function resolveVerifierSettings(raw: Record<string, unknown>): TokenVerifierSettings {
  const env = validateAuthEnvironment(presentAuthVariables(raw));
  const problems: string[] = [];
  const set = KEY_SOURCES.filter((name) => env[name] !== undefined);
  if (set.length !== 1) {
    problems.push(
      `${set.length === 0 ? 'AUTH_JWKS_URL (missing)' : set.join(' and ')}: set exactly one of ${KEY_SOURCES.join(', ')} to verify the gateway's tokens`,
    );
  }
  const publicKey = readVerificationKey(
    env.AUTH_JWT_PUBLIC_KEY,
    env.AUTH_JWT_PUBLIC_KEY_FILE,
    'AUTH_JWT_PUBLIC_KEY',
    problems,
  );
  const previous = readVerificationKey(
    env.AUTH_JWT_PREVIOUS_PUBLIC_KEY,
    env.AUTH_JWT_PREVIOUS_PUBLIC_KEY_FILE,
    'AUTH_JWT_PREVIOUS_PUBLIC_KEY',
    problems,
  );
  const external = resolveExternalIssuer(env, problems);
  if (problems.length > 0) throw new InvalidEnvironmentError(problems);

  const localKeys: LocalKeySource =
    env.AUTH_JWKS_URL !== undefined
      ? { jwksUrl: env.AUTH_JWKS_URL }
      : { keys: [publicKey, previous].filter((k): k is VerificationKey => k !== undefined) };
  return {
    issuer: env.AUTH_JWT_ISSUER,
    audience: env.AUTH_JWT_AUDIENCE,
    clockToleranceSeconds: env.AUTH_CLOCK_TOLERANCE_SECONDS,
    platformTenantId: env.AUTH_PLATFORM_TENANT,
    localKeys,
    ...(external ? { external } : {}),
  };
}
