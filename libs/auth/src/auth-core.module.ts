import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { ApiClientsService } from './clients/api-clients.service';
import { resolveAuthSettings, type AuthSettings } from './config/auth-settings';
import { AuthEnvironment } from './config/auth.environment';
import { TOKEN_VERIFIER_SETTINGS, verifierSettingsOf } from './config/verifier-settings';
import { AUTH_METRICS } from './metrics/auth.metrics';
import { FailedAttemptLimiter } from './oauth/failed-attempt-limiter';
import { SecretHasher } from './secrets/secret-hasher';
import { VerifiedSecrets } from './secrets/verified-secrets';
import { AuthChangeListeners } from './support/change-listeners';
import { TenantsService } from './tenants/tenants.service';
import { TokenIssuer } from './tokens/token-issuer';
import { AuthStateCache } from './verification/auth-state-cache';
import { AuthenticateFirst } from './verification/authenticate-first';
import { JwtAuthGuard } from './verification/jwt-auth.guard';
import { JwtTokenStrategy } from './verification/jwt-token.strategy';
import { PUBLIC_ROUTE_PATTERNS, PublicRoutes } from './verification/public-routes';
import { ScopesGuard } from './verification/scopes.guard';

/** Injection token of the resolved {@link AuthSettings}. */
export const AUTH_SETTINGS = Symbol('AUTH_SETTINGS');

/** Routes of other modules that need no token (their controllers cannot carry `@Public()`). */
export const DEFAULT_PUBLIC_ROUTES = ['/health', '/health/live', '/health/ready', '/metrics'];

export interface AuthCoreOptions {
  /** Route patterns that need no token; defaults to {@link DEFAULT_PUBLIC_ROUTES}. */
  publicRoutes?: string[];
}

/**
 * The two global guards, in order (authentication, then scopes), and the hook that authenticates
 * before a body is read. Add them to the root module's providers: `providers: [...AUTH_GUARDS]`.
 */
export const AUTH_GUARDS: Provider[] = [
  { provide: APP_GUARD, useExisting: JwtAuthGuard },
  { provide: APP_GUARD, useExisting: ScopesGuard },
  AuthenticateFirst,
];

/**
 * The passport strategy, the guards and what they need, once {@link TOKEN_VERIFIER_SETTINGS} and
 * `AuthMetrics` are provided: shared by the issuing and the verify-only module.
 */
export function guardProviders(options: AuthCoreOptions): Provider[] {
  return [
    { provide: PUBLIC_ROUTE_PATTERNS, useValue: options.publicRoutes ?? DEFAULT_PUBLIC_ROUTES },
    PublicRoutes,
    JwtTokenStrategy,
    JwtAuthGuard,
    ScopesGuard,
  ];
}

/** What a module exports of its providers: all of them. */
export function tokensOf(providers: Provider[]): Provider[] {
  return providers.map((provider) =>
    typeof provider === 'function' ? provider : (provider.provide as Provider),
  );
}

/** Every AUTH_* variable, read through ConfigService (the environment and the .env file). */
export const AUTH_VARIABLES: (keyof AuthEnvironment)[] = [
  'AUTH_JWT_PRIVATE_KEY',
  'AUTH_JWT_PRIVATE_KEY_FILE',
  'AUTH_JWT_PREVIOUS_PUBLIC_KEY',
  'AUTH_JWT_PREVIOUS_PUBLIC_KEY_FILE',
  'AUTH_JWT_ISSUER',
  'AUTH_JWT_AUDIENCE',
  'AUTH_TOKEN_TTL_SECONDS',
  'AUTH_CLOCK_TOLERANCE_SECONDS',
  'AUTH_CLIENT_CACHE_TTL_MS',
  'AUTH_TOKEN_MAX_FAILURES_PER_CLIENT',
  'AUTH_TOKEN_MAX_FAILURES_PER_ADDRESS',
  'AUTH_TOKEN_FAILURE_WINDOW_SECONDS',
  'AUTH_VERIFIED_SECRET_TTL_SECONDS',
  'AUTH_PLATFORM_TENANT',
  'AUTH_EXTERNAL_JWKS_URL',
  'AUTH_EXTERNAL_ISSUER',
  'AUTH_EXTERNAL_AUDIENCE',
  'AUTH_EXTERNAL_TENANT_CLAIM',
  'AUTH_EXTERNAL_SCOPE_CLAIM',
  'AUTH_EXTERNAL_CLIENT_ID_CLAIM',
  'AUTH_EXTERNAL_ALGORITHMS',
  'AUTH_JWT_PUBLIC_KEY',
  'AUTH_JWT_PUBLIC_KEY_FILE',
  'AUTH_JWKS_URL',
];

/**
 * Tenants, API clients, token issuing and token checking, for any Nest app that has a global
 * ConfigModule, ObservabilityModule and a TypeORM DataSource with {@link AUTH_ENTITIES}. Global, so
 * feature modules can use the services and guards without importing it.
 */
@Module({})
export class AuthCoreModule {
  static forRoot(options: AuthCoreOptions = {}): DynamicModule {
    const providers: Provider[] = [
      {
        provide: AUTH_SETTINGS,
        inject: [ConfigService],
        useFactory: (config: ConfigService): AuthSettings =>
          resolveAuthSettings(
            Object.fromEntries(AUTH_VARIABLES.map((name) => [name, config.get<unknown>(name)])),
          ),
      },
      {
        provide: TOKEN_VERIFIER_SETTINGS,
        inject: [AUTH_SETTINGS],
        useFactory: verifierSettingsOf,
      },
      AuthChangeListeners,
      { provide: SecretHasher, useValue: new SecretHasher() },
      ...AUTH_METRICS,
      TenantsService,
      {
        provide: ApiClientsService,
        inject: [DataSource, AUTH_SETTINGS, SecretHasher, AuthChangeListeners],
        useFactory: (
          dataSource: DataSource,
          settings: AuthSettings,
          hasher: SecretHasher,
          listeners: AuthChangeListeners,
        ) =>
          new ApiClientsService(dataSource, {
            platformTenantId: settings.platformTenantId,
            hasher,
            verifiedSecrets: new VerifiedSecrets({
              ttlMs: settings.verifiedSecretTtlMs,
              maxEntries: 10_000,
            }),
            onClientChanged: (id) => listeners.clientChanged(id),
          }),
      },
      {
        provide: AuthStateCache,
        inject: [ApiClientsService, TenantsService, AUTH_SETTINGS, AuthChangeListeners],
        useFactory: (
          clients: ApiClientsService,
          tenants: TenantsService,
          settings: AuthSettings,
          listeners: AuthChangeListeners,
        ) => {
          const cache = new AuthStateCache(clients, tenants, settings.clientCacheTtlMs);
          listeners.onClientChanged((id) => cache.forgetClient(id));
          listeners.onTenantChanged((id) => cache.forgetTenant(id));
          return cache;
        },
      },
      {
        provide: TokenIssuer,
        inject: [AUTH_SETTINGS, ApiClientsService],
        useFactory: (settings: AuthSettings, clients: ApiClientsService) =>
          new TokenIssuer(settings, clients, new FailedAttemptLimiter(settings.tokenFailureLimits)),
      },
      ...guardProviders(options),
    ];
    return {
      module: AuthCoreModule,
      global: true,
      // DiscoveryService, for AuthenticateFirst (in AUTH_GUARDS, registered by the root module).
      imports: [DiscoveryModule],
      providers,
      exports: [DiscoveryModule, ...tokensOf(providers)],
    };
  }
}
