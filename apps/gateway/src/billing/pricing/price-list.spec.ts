import { ConfigService } from '@nestjs/config';
import { validateEnvironment } from '@event-hub/service-runtime';
import { GatewayEnvironment } from '../../config/gateway.environment';
import { PriceList } from './price-list';

const load = validateEnvironment(GatewayEnvironment);
const base = { DATABASE_URL: 'postgres://localhost/eventhub', KAFKA_BROKERS: '127.0.0.1:9092' };

const priceListOf = (env: Record<string, string>) =>
  PriceList.fromConfig(
    new ConfigService<GatewayEnvironment, true>({ ...load({ ...base, ...env }) }),
  );

describe('the price list from the environment', () => {
  it('defaults to seed 000: R$0.005 per message, R$0.00001 per byte', () => {
    const prices = priceListOf({});
    expect([prices.perMessage.toString(), prices.perByte.toString(), prices.currency]).toEqual([
      '0.005',
      '0.00001',
      'BRL',
    ]);
  });

  it('takes other prices and currency exactly as written', () => {
    const prices = priceListOf({
      BILLING_PRICE_PER_MESSAGE: '0.000000000001',
      BILLING_PRICE_PER_BYTE: '2',
      BILLING_CURRENCY: 'USD',
    });
    expect([prices.perMessage.toString(), prices.perByte.toString(), prices.currency]).toEqual([
      '0.000000000001',
      '2',
      'USD',
    ]);
  });

  it.each([
    ['BILLING_PRICE_PER_MESSAGE', '1e-3'],
    ['BILLING_PRICE_PER_MESSAGE', '-0.005'],
    ['BILLING_PRICE_PER_BYTE', '0,00001'],
    ['BILLING_PRICE_PER_BYTE', '0.0000000000001'],
    ['BILLING_CURRENCY', 'real'],
  ])('refuses to start with %s=%s, naming the variable', (name, value) => {
    expect(() => load({ ...base, [name]: value })).toThrow(new RegExp(`${name} \\(`));
  });
});
