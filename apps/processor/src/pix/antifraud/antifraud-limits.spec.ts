import { ConfigService } from '@nestjs/config';
import { validateEnvironment } from '@event-hub/service-runtime';
import { ProcessorEnvironment } from '../../config/processor.environment';
import { antifraudLimits } from './antifraud-limits';

const load = validateEnvironment(ProcessorEnvironment);
const base = { DATABASE_URL: 'postgres://localhost/eventhub', KAFKA_BROKERS: '127.0.0.1:9092' };
const limitsOf = (env: Record<string, string>) =>
  antifraudLimits(new ConfigService<ProcessorEnvironment, true>({ ...load({ ...base, ...env }) }));

describe('PIX antifraud limits', () => {
  it('has defaults with a night limit below the daytime one', () => {
    expect(limitsOf({})).toEqual({
      perTransaction: '5000.00',
      nightPerTransaction: '1000.00',
      daily: '20000.00',
      velocityCount: 20,
      velocityWindowMinutes: 10,
    });
  });

  it('refuses an amount that is not an exact decimal, naming the variable', () => {
    expect(() => load({ ...base, PIX_LIMIT_DAILY: '1e6' })).toThrow(/PIX_LIMIT_DAILY \(/);
    expect(() => load({ ...base, PIX_LIMIT_PER_TRANSACTION: '10.001' })).toThrow(
      /PIX_LIMIT_PER_TRANSACTION \(/,
    );
    expect(() => load({ ...base, PIX_VELOCITY_COUNT: '0' })).toThrow(/PIX_VELOCITY_COUNT \(/);
  });

  it('refuses a night limit above the daytime limit', () => {
    expect(() =>
      limitsOf({ PIX_LIMIT_PER_TRANSACTION: '100.00', PIX_LIMIT_NIGHT_PER_TRANSACTION: '100.01' }),
    ).toThrow(/PIX_LIMIT_NIGHT_PER_TRANSACTION/);
  });
});
