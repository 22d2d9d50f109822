import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { BalanceViewService } from './balance-view.service';
import { BalancesHealthIndicator } from './balances.health';
import { BALANCES_METRICS } from './balances.metrics';
import { GetAccountBalanceController } from './queries/get-account-balance/get-account-balance.controller';
import { GetAccountBalanceHandler } from './queries/get-account-balance/get-account-balance.handler';

/** `GET /accounts/:id/balance` and `GET /saldo/:id`, from the view of the compacted balance topic. */
@Module({
  imports: [TerminusModule],
  controllers: [GetAccountBalanceController],
  providers: [
    ...BALANCES_METRICS,
    BalanceViewService,
    BalancesHealthIndicator,
    GetAccountBalanceHandler,
  ],
  exports: [BalancesHealthIndicator, BalanceViewService],
})
export class BalancesModule {}
