import { Module, type DynamicModule } from '@nestjs/common';
import { AuthCoreModule, type AuthCoreOptions } from '@event-hub/auth';
import { IssueTokenController } from './issue-token/issue-token.controller';
import { JwksController } from './jwks/jwks.controller';
import { WhoAmIModule } from './whoami/whoami.module';

export { AUTH_GUARDS } from '@event-hub/auth';

/**
 * OAuth2 client credentials (`POST /oauth/token`), the JWKS, and everything token checks need
 * (from @event-hub/auth, global). Register `AUTH_GUARDS` in the root module to protect every route.
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthCoreOptions = {}): DynamicModule {
    return {
      module: AuthModule,
      imports: [AuthCoreModule.forRoot(options), WhoAmIModule],
      controllers: [IssueTokenController, JwksController],
    };
  }
}
