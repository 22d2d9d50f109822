import type { ConfigService } from '@nestjs/config';
import type { ProcessorEnvironment } from '../../config/processor.environment';
import type { AntifraudLimits } from './antifraud-rules';
import { toCents } from './money';

/** The antifraud limits from the validated environment; a night limit above the day's is refused. */
export function antifraudLimits(
  config: ConfigService<ProcessorEnvironment, true>,
): AntifraudLimits {
  const limits: AntifraudLimits = {
    perTransaction: config.get('PIX_LIMIT_PER_TRANSACTION'),
    nightPerTransaction: config.get('PIX_LIMIT_NIGHT_PER_TRANSACTION'),
    daily: config.get('PIX_LIMIT_DAILY'),
    velocityCount: config.get('PIX_VELOCITY_COUNT'),
    velocityWindowMinutes: config.get('PIX_VELOCITY_WINDOW_MINUTES'),
  };
  if (toCents(limits.nightPerTransaction) > toCents(limits.perTransaction)) {
    throw new Error(
      'PIX_LIMIT_NIGHT_PER_TRANSACTION must not exceed PIX_LIMIT_PER_TRANSACTION: the night limit is the lower one',
    );
  }
  return limits;
}
