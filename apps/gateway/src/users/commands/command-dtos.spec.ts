import type { ArgumentMetadata, Type } from '@nestjs/common';
import {
  ProblemException,
  ProblemValidationPipe,
  type FieldError,
} from '@event-hub/service-runtime';
import { UserIdPipe } from '../shared/user-id.params';
import { CreateSubscriptionDto } from './create-subscription/create-subscription.dto';
import { CreateUserDto } from './create-user/create-user.dto';
import { RecordPaymentDto } from './record-payment/record-payment.dto';
import { UpdatePreferencesDto } from './update-preferences/update-preferences.dto';

const pipe = new ProblemValidationPipe();

async function fieldErrors(
  metatype: Type<unknown>,
  value: unknown,
  type: ArgumentMetadata['type'] = 'body',
): Promise<FieldError[]> {
  try {
    await pipe.transform(value, { type, metatype });
  } catch (error) {
    if (error instanceof ProblemException) return error.problem.errors ?? [];
    throw error;
  }
  return [];
}

const fields = (errors: FieldError[]): string[] => [...new Set(errors.map((e) => e.field))].sort();

describe('command request validation', () => {
  it('accepts a valid user and trims its name and email', async () => {
    const dto = (await pipe.transform(
      { name: '  Ana Souza ', email: ' ana@example.com ', document: '529.982.247-25' },
      { type: 'body', metatype: CreateUserDto },
    )) as CreateUserDto;
    expect(dto).toEqual({
      name: 'Ana Souza',
      email: 'ana@example.com',
      document: '529.982.247-25',
    });
  });

  it('names every bad field of a user, including unknown ones', async () => {
    const errors = await fieldErrors(CreateUserDto, {
      name: '',
      email: 'nope',
      document: '123.456.789-00',
      admin: true,
    });
    expect(fields(errors)).toEqual(['body.admin', 'body.document', 'body.email', 'body.name']);
    expect(errors).toContainEqual({ field: 'body.admin', message: 'is not allowed' });
    expect(errors).toContainEqual({
      field: 'body.document',
      message:
        'document must be a valid CPF: 11 digits, plain or as 123.456.789-09, with valid check digits',
    });
  });

  it('names missing fields', async () => {
    expect(fields(await fieldErrors(CreateUserDto, {}))).toEqual([
      'body.document',
      'body.email',
      'body.name',
    ]);
  });

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

  it('keeps a preferences object as sent and refuses one beyond the limits', async () => {
    const preferences = { theme: 'dark', notifications: { email: true }, tags: ['a', 'b'] };
    const dto = (await pipe.transform(
      { preferences },
      { type: 'body', metatype: UpdatePreferencesDto },
    )) as UpdatePreferencesDto;
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

  it('names a user id that is not a UUID', () => {
    expect(() => new UserIdPipe().transform('42')).toThrow(ProblemException);
    try {
      new UserIdPipe().transform('42');
    } catch (error) {
      expect((error as ProblemException).problem.errors).toEqual([
        { field: 'params.userId', message: 'userId must be a UUID' },
      ]);
    }
    expect(new UserIdPipe().transform('3f0c6a8e-2b1d-4c5e-9f7a-1b2c3d4e5f60')).toBe(
      '3f0c6a8e-2b1d-4c5e-9f7a-1b2c3d4e5f60',
    );
  });
});
