import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ServiceHealth } from '@event-hub/service-runtime';
import { BalancesModule } from '../balances/balances.module';
import { GatewayHealth } from '../health/gateway-health';
import { RecentCommandsHandler } from './commands/recent-commands.handler';
import { PlatformHealthService } from './health/platform-health.service';
import { PageAssets } from './page-assets';
import { PlatformDataController } from './platform-data.controller';
import { PlatformPageController } from './platform-page.controller';
import { MetricsSampler } from './throughput/metrics-sampler';

/** GET /: the platform page (seed 001's dashboard), and the /platform routes it reads. */
@Module({
  // BalancesModule: GatewayHealth reports the balance view's entry.
  imports: [TerminusModule, BalancesModule],
  controllers: [PlatformPageController, PlatformDataController],
  providers: [
    { provide: PageAssets, useFactory: () => new PageAssets() },
    // The gateway's own entries, as its /health reports them.
    { provide: ServiceHealth, useClass: GatewayHealth },
    PlatformHealthService,
    MetricsSampler,
    RecentCommandsHandler,
  ],
})
export class PlatformPageModule {}
