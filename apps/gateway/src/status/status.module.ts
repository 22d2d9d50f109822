import { Module } from '@nestjs/common';
import { CommandAcceptanceModule } from '../command-acceptance/command-acceptance.module';
import { GetCommandStatusController } from './queries/get-command-status/get-command-status.controller';
import { GetCommandStatusHandler } from './queries/get-command-status/get-command-status.handler';
import { CommandRepliesConsumer } from './replies/command-replies.consumer';

/** `GET /status/:correlationId`, and the processor's replies that settle each command's status. */
@Module({
  imports: [CommandAcceptanceModule],
  controllers: [GetCommandStatusController],
  providers: [GetCommandStatusHandler, CommandRepliesConsumer],
})
export class StatusModule {}
