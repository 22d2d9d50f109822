import {
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { IsUrlWithProtocol } from '@event-hub/service-runtime';

/** Asymmetric algorithms an external identity provider may sign with (never HS* or none). */
export const EXTERNAL_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
] as const;
export type ExternalAlgorithm = (typeof EXTERNAL_ALGORITHMS)[number];

const CLAIM_NAME = /^[A-Za-z0-9_:./-]{1,100}$/;

/** The variables of authentication; validated at start, a bad one is named and stops the service. */
export class AuthEnvironment {
  /** PEM of the RSA private key tokens are signed with (`\n` escapes allowed)… */
  @IsOptional()
  @IsString()
  AUTH_JWT_PRIVATE_KEY?: string;

  /** …or the path of a file holding it. Exactly one of the two. */
  @IsOptional()
  @IsString()
  AUTH_JWT_PRIVATE_KEY_FILE?: string;

  /** After a key rotation: the previous public key, so its unexpired tokens still verify. */
  @IsOptional()
  @IsString()
  AUTH_JWT_PREVIOUS_PUBLIC_KEY?: string;

  @IsOptional()
  @IsString()
  AUTH_JWT_PREVIOUS_PUBLIC_KEY_FILE?: string;

  /**
   * Services that only verify tokens (the monitor): our issuer's public key, PEM or file… (a
   * private key PEM works too; its public half is used)…
   */
  @IsOptional()
  @IsString()
  AUTH_JWT_PUBLIC_KEY?: string;

  @IsOptional()
  @IsString()
  AUTH_JWT_PUBLIC_KEY_FILE?: string;

  /** …or the gateway's JWKS (`/.well-known/jwks.json`), fetched when a new `kid` shows up. */
  @IsOptional()
  @IsUrlWithProtocol(['http:', 'https:'])
  AUTH_JWKS_URL?: string;

  @IsString()
  @MinLength(1)
  @MaxLength(300)
  AUTH_JWT_ISSUER: string = 'event-hub';

  @IsString()
  @MinLength(1)
  @MaxLength(300)
  AUTH_JWT_AUDIENCE: string = 'event-hub-api';

  @IsInt()
  @Min(60)
  @Max(24 * 3600)
  AUTH_TOKEN_TTL_SECONDS: number = 3600;

  /** Leeway for `exp`/`nbf` against clock skew between us and other issuers or verifiers. */
  @IsInt()
  @Min(0)
  @Max(300)
  AUTH_CLOCK_TOLERANCE_SECONDS: number = 5;

  /**
   * How long a client's revocation state is trusted before Postgres is asked again: a revocation
   * made on another instance takes effect within this time (on this instance, at once).
   */
  @IsInt()
  @Min(0)
  @Max(60000)
  AUTH_CLIENT_CACHE_TTL_MS: number = 5000;

  /** Failed token requests one client id may make per window before it gets 429 (per instance). */
  @IsInt()
  @Min(1)
  @Max(10000)
  AUTH_TOKEN_MAX_FAILURES_PER_CLIENT: number = 10;

  /** Failed token requests one source address may make per window before it gets 429. */
  @IsInt()
  @Min(1)
  @Max(100000)
  AUTH_TOKEN_MAX_FAILURES_PER_ADDRESS: number = 30;

  /** The sliding window the failed token requests are counted over. */
  @IsInt()
  @Min(1)
  @Max(86400)
  AUTH_TOKEN_FAILURE_WINDOW_SECONDS: number = 60;

  /**
   * How long a client secret that passed scrypt is recognised by a fast keyed hash instead (0:
   * always scrypt). Rotating the secret ends it at once.
   */
  @IsInt()
  @Min(0)
  @Max(86400)
  AUTH_VERIFIED_SECRET_TTL_SECONDS: number = 900;

  /** The operators' tenant (created by `bootstrap-admin`); only its clients may hold `admin`. */
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'must be a tenant id (lowercase slug)' })
  AUTH_PLATFORM_TENANT: string = 'platform';

  @IsOptional()
  @IsUrlWithProtocol(['http:', 'https:'])
  AUTH_EXTERNAL_JWKS_URL?: string;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  AUTH_EXTERNAL_ISSUER?: string;

  @IsOptional()
  @IsString()
  @MaxLength(300)
  AUTH_EXTERNAL_AUDIENCE?: string;

  @Matches(CLAIM_NAME, { message: 'must be a claim name' })
  AUTH_EXTERNAL_TENANT_CLAIM: string = 'tenant';

  @Matches(CLAIM_NAME, { message: 'must be a claim name' })
  AUTH_EXTERNAL_SCOPE_CLAIM: string = 'scope';

  /** Claim naming the calling client; `azp`, then `sub` are used when it is absent. */
  @Matches(CLAIM_NAME, { message: 'must be a claim name' })
  AUTH_EXTERNAL_CLIENT_ID_CLAIM: string = 'client_id';

  /** Comma-separated. */
  @IsString()
  @Matches(
    new RegExp(`^(${EXTERNAL_ALGORITHMS.join('|')})(,(${EXTERNAL_ALGORITHMS.join('|')}))*$`),
    {
      message: `must be a comma-separated list of ${EXTERNAL_ALGORITHMS.join(', ')}`,
    },
  )
  AUTH_EXTERNAL_ALGORITHMS: string = 'RS256';
}

export const isExternalAlgorithm = (value: string): value is ExternalAlgorithm =>
  (EXTERNAL_ALGORITHMS as readonly string[]).includes(value);
