import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal, type AuthPrincipal } from '@event-hub/auth';
import { CallerView } from './caller.view';
import { WhoAmIQuery } from './whoami.query';

@ApiTags('auth')
@Controller('auth')
export class WhoAmIController {
  constructor(private readonly queries: QueryBus) {}

  // Any valid token, no scope: a client checks which tenant and scopes its token carries.
  @Get('whoami')
  @ApiOperation({
    summary: 'The caller as its token says: tenant, API client and scopes',
    description: 'Any valid token will do (no scope needed); without one the answer is 401.',
  })
  @ApiOkResponse({ type: CallerView })
  whoami(@Principal() caller: AuthPrincipal): Promise<CallerView> {
    return this.queries.execute(new WhoAmIQuery(caller));
  }
}
