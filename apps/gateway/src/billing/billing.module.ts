import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PriceList } from './pricing/price-list';
import { GetInvoiceController } from './queries/get-invoice/get-invoice.controller';
import { GetInvoiceHandler } from './queries/get-invoice/get-invoice.handler';
import { GetUsageController } from './queries/get-usage/get-usage.controller';
import { GetUsageHandler } from './queries/get-usage/get-usage.handler';
import { UsageSums } from './shared/usage-sums';

/** Billing reports (`/billing`, billing:read) over the `billing` table the processor fills. */
@Module({
  controllers: [GetUsageController, GetInvoiceController],
  providers: [
    { provide: PriceList, inject: [ConfigService], useFactory: PriceList.fromConfig },
    UsageSums,
    GetUsageHandler,
    GetInvoiceHandler,
  ],
})
export class BillingModule {}
