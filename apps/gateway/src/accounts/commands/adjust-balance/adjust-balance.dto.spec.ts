import { fieldErrors } from '../../../../test/support/request-validation';
import { AdjustBalanceDto } from './adjust-balance.dto';

describe('adjustment request', () => {
  it('takes the body the balance CLI sends', async () => {
    expect(await fieldErrors(AdjustBalanceDto, { balance: '150.00', reason: 'fix' })).toEqual([]);
  });

  it('names a negative balance and a blank reason', async () => {
    expect(await fieldErrors(AdjustBalanceDto, { balance: '-1.00', reason: '   ' })).toEqual([
      { field: 'body.balance', message: 'balance must not be negative' },
      {
        field: 'body.reason',
        message: 'reason must be longer than or equal to 1 characters',
      },
    ]);
  });
});
