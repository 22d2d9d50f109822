import { fieldErrors } from '../../../../test/support/request-validation';
import { CreateSubscriptionDto } from './create-subscription.dto';

describe('create subscription request', () => {
  it('names a plan, cycle or date outside the allowed values', async () => {
    const errors = await fieldErrors(CreateSubscriptionDto, {
      plan: 'gold',
      billingCycle: 'weekly',
      startDate: '2025-02-30',
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        {
          field: 'body.plan',
          message: 'plan must be one of the following values: basic, standard, premium',
        },
        {
          field: 'body.billingCycle',
          message: 'billingCycle must be one of the following values: monthly, quarterly, yearly',
        },
        {
          field: 'body.startDate',
          message: 'startDate must be a calendar date written YYYY-MM-DD',
        },
      ]),
    );
  });
});
