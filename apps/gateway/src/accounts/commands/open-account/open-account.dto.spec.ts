import { fieldErrors, fields } from '../../../../test/support/request-validation';
import { OpenAccountDto } from './open-account.dto';

describe('open account request', () => {
  it('accepts a user id with typed keys', async () => {
    expect(
      await fieldErrors(OpenAccountDto, {
        userId: '3f0c6a8e-2b1d-4c5e-9f7a-1b2c3d4e5f60',
        pixKeys: [{ type: 'EMAIL', value: 'ana@example.com' }],
      }),
    ).toEqual([]);
  });

  it('names a bad user id, key type and missing key value', async () => {
    const errors = await fieldErrors(OpenAccountDto, {
      userId: 'nope',
      pixKeys: [{ type: 'IBAN', value: 'x' }, { type: 'CPF' }],
    });
    expect(fields(errors)).toEqual(['body.pixKeys.0.type', 'body.pixKeys.1.value', 'body.userId']);
  });
});
