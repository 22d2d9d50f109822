import { Module } from '@nestjs/common';
import { WhoAmIController } from './whoami.controller';
import { WhoAmIHandler } from './whoami.handler';

/** `GET /auth/whoami`: the caller's tenant, client and scopes from its verified token. */
@Module({ controllers: [WhoAmIController], providers: [WhoAmIHandler] })
export class WhoAmIModule {}
