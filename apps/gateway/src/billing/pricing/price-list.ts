import type { ConfigService } from '@nestjs/config';
import type { GatewayEnvironment } from '../../config/gateway.environment';
import { ExactDecimal } from './exact-decimal';

/** What a message and a byte cost, exactly as configured. */
export class PriceList {
  constructor(
    readonly perMessage: ExactDecimal,
    readonly perByte: ExactDecimal,
    readonly currency: string,
  ) {}

  static fromConfig(config: ConfigService<GatewayEnvironment, true>): PriceList {
    return new PriceList(
      ExactDecimal.parse(config.get('BILLING_PRICE_PER_MESSAGE')),
      ExactDecimal.parse(config.get('BILLING_PRICE_PER_BYTE')),
      config.get('BILLING_CURRENCY'),
    );
  }
}
