import { ApiProperty } from '@nestjs/swagger';
import { PREFERENCES_LIMITS } from '@event-hub/contracts';
import { IsBoundedPreferences } from './preferences-limits';

export class UpdatePreferencesDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { theme: 'dark', language: 'pt-BR', notifications: { email: true, sms: false } },
    description:
      `The user's settings, replacing the previous ones: a JSON object with at most ${PREFERENCES_LIMITS.maxKeys} ` +
      `keys counted at every level, nested at most ${PREFERENCES_LIMITS.maxDepth} levels deep (arrays count), ` +
      `and at most ${PREFERENCES_LIMITS.maxBytes} bytes as JSON.`,
  })
  @IsBoundedPreferences()
  preferences!: Record<string, unknown>;
}
