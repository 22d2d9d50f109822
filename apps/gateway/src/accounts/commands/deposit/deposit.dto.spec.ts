import { fieldErrors } from '../../../../test/support/request-validation';
import { DepositDto } from './deposit.dto';

describe('deposit request', () => {
  it('refuses zero and a JSON number, naming the amount', async () => {
    expect(await fieldErrors(DepositDto, { amount: '0.00' })).toEqual([
      { field: 'body.amount', message: 'amount must be greater than 0' },
    ]);
    expect(await fieldErrors(DepositDto, { amount: 10 })).toEqual([
      { field: 'body.amount', message: 'amount must be a decimal string such as "149.90"' },
    ]);
  });
});
