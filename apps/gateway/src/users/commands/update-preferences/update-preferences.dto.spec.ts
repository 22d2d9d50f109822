import { fieldErrors, validated } from '../../../../test/support/request-validation';
import { UpdatePreferencesDto } from './update-preferences.dto';

describe('update preferences request', () => {
  it('keeps a preferences object as sent and refuses one beyond the limits', async () => {
    const preferences = { theme: 'dark', notifications: { email: true }, tags: ['a', 'b'] };
    const dto = await validated(UpdatePreferencesDto, { preferences });
    expect(dto.preferences).toEqual(preferences);

    const errors = await fieldErrors(UpdatePreferencesDto, {
      preferences: { a: { b: { c: { d: { e: 1 } } } } },
    });
    expect(errors).toEqual([
      {
        field: 'body.preferences',
        message: 'preferences must be nested at most 4 levels deep (is 5)',
      },
    ]);
  });
});
