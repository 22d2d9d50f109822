import { Module } from '@nestjs/common';
import { CommandAcceptanceModule } from '../command-acceptance/command-acceptance.module';
import { AdjustBalanceHandler } from './commands/adjust-balance/adjust-balance.command';
import { AdjustBalanceController } from './commands/adjust-balance/adjust-balance.controller';
import { CloseAccountHandler } from './commands/close-account/close-account.command';
import { CloseAccountController } from './commands/close-account/close-account.controller';
import { DepositHandler } from './commands/deposit/deposit.command';
import { DepositController } from './commands/deposit/deposit.controller';
import { OpenAccountHandler } from './commands/open-account/open-account.command';
import { OpenAccountController } from './commands/open-account/open-account.controller';
import { GetAccountController } from './queries/get-account/get-account.controller';
import { GetAccountHandler } from './queries/get-account/get-account.query';
import { AccountRecords } from './shared/account-records';

/**
 * `/accounts`: PIX account commands accepted over HTTP and applied by the processor (which owns
 * the account tables and their outbox), and reads of those tables.
 */
@Module({
  imports: [CommandAcceptanceModule],
  controllers: [
    OpenAccountController,
    DepositController,
    AdjustBalanceController,
    CloseAccountController,
    GetAccountController,
  ],
  providers: [
    AccountRecords,
    OpenAccountHandler,
    DepositHandler,
    AdjustBalanceHandler,
    CloseAccountHandler,
    GetAccountHandler,
  ],
})
export class AccountsModule {}
