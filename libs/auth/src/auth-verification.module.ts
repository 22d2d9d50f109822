import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DiscoveryModule } from '@nestjs/core';
import { AUTH_VARIABLES, guardProviders, tokensOf, type AuthCoreOptions } from './auth-core.module';
import {
  resolveVerifierSettings,
  TOKEN_VERIFIER_SETTINGS,
  type TokenVerifierSettings,
} from './config/verifier-settings';
import { AUTH_METRICS } from './metrics/auth.metrics';

/**
 * The gateway's token checks for a service that verifies tokens but neither issues them nor reads
 * the client registry (the monitor): signature by the gateway's JWKS or public key, or by the
 * external identity provider's JWKS, then issuer, audience, times, claims and scopes. Register
 * `AUTH_GUARDS` in the root module, as the gateway does. Needs a global ConfigModule and
 * ObservabilityModule.
 */
@Module({})
export class AuthVerificationModule {
  static forRoot(options: AuthCoreOptions = {}): DynamicModule {
    const providers: Provider[] = [
      {
        provide: TOKEN_VERIFIER_SETTINGS,
        inject: [ConfigService],
        useFactory: (config: ConfigService): TokenVerifierSettings =>
          resolveVerifierSettings(
            Object.fromEntries(AUTH_VARIABLES.map((name) => [name, config.get<unknown>(name)])),
          ),
      },
      ...AUTH_METRICS,
      ...guardProviders(options),
    ];
    return {
      module: AuthVerificationModule,
      global: true,
      // DiscoveryService, for AuthenticateFirst (in AUTH_GUARDS, registered by the root module).
      imports: [DiscoveryModule],
      providers,
      exports: [DiscoveryModule, ...tokensOf(providers)],
    };
  }
}
