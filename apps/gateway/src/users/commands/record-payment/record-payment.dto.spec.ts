import { fieldErrors, fields } from '../../../../test/support/request-validation';
import { RecordPaymentDto } from './record-payment.dto';

describe('record payment request', () => {
  it('explains why an amount is refused', async () => {
    const errors = await fieldErrors(RecordPaymentDto, {
      amount: '10.999',
      currency: 'BRL',
      method: 'pix',
    });
    expect(errors).toEqual([
      {
        field: 'body.amount',
        message: 'amount must be a positive decimal with at most 2 decimals, such as "149.90"',
      },
    ]);
    expect(
      await fieldErrors(RecordPaymentDto, { amount: '0.00', currency: 'BRL', method: 'pix' }),
    ).toEqual([{ field: 'body.amount', message: 'amount must be greater than 0' }]);
  });

  it('names a bad currency, method and subscription id', async () => {
    const errors = await fieldErrors(RecordPaymentDto, {
      amount: '1.00',
      currency: 'BTC',
      method: 'cash',
      subscriptionId: 'x',
    });
    expect(fields(errors)).toEqual(['body.currency', 'body.method', 'body.subscriptionId']);
  });
});
