import { ProblemValidationPipe } from '@event-hub/service-runtime';
import {
  GetInvoiceParams,
  GetInvoicePathParams,
  monthPeriod,
} from '../queries/get-invoice/get-invoice.params';
import { GetUsageParams } from '../queries/get-usage/get-usage.params';

const pipe = new ProblemValidationPipe();

/** What the gateway answers for these query parameters: the value, or the fields it names. */
async function check(
  metatype: new () => object,
  value: Record<string, string>,
  type: 'query' | 'param' = 'query',
): Promise<{ ok: object } | { errors: { field: string; message: string }[] }> {
  try {
    return { ok: (await pipe.transform(value, { type, metatype })) as object };
  } catch (error) {
    const body = (
      error as { getResponse: () => { errors: { field: string; message: string }[] } }
    ).getResponse();
    return { errors: body.errors };
  }
}

const fields = (result: Awaited<ReturnType<typeof check>>) =>
  'errors' in result ? result.errors.map((e) => e.field) : [];

describe('usage report parameters', () => {
  it('takes dates or date-times with an offset, grouping by tenant unless told', async () => {
    expect(await check(GetUsageParams, { from: '2026-11-01', to: '2026-12-01' })).toEqual({
      ok: { from: '2026-11-01', to: '2026-12-01', groupBy: 'tenant' },
    });
    expect(
      await check(GetUsageParams, {
        from: '2026-11-01T00:00:00-03:00',
        to: '2026-11-01T10:30:00.123Z',
        groupBy: 'client',
        tenant: 'acme',
      }),
    ).toMatchObject({ ok: { groupBy: 'client', tenant: 'acme' } });
  });

  it('refuses a date-time without an offset, an impossible date and a missing bound', async () => {
    expect(
      fields(await check(GetUsageParams, { from: '2026-11-01T00:00:00', to: '2026-12-01' })),
    ).toEqual(['query.from']);
    expect(fields(await check(GetUsageParams, { from: '2026-02-30', to: '2026-12-01' }))).toEqual([
      'query.from',
    ]);
    expect(fields(await check(GetUsageParams, { from: '2026-11-01' }))).toEqual(['query.to']);
  });

  it('wants `to` after `from`, by at most 366 days', async () => {
    for (const to of ['2026-11-01', '2026-10-31', '2027-11-03']) {
      const result = await check(GetUsageParams, { from: '2026-11-01', to });
      expect(result).toEqual({
        errors: [
          {
            field: 'query.to',
            message: 'to must be later than from and at most 366 days after it',
          },
        ],
      });
    }
    expect(await check(GetUsageParams, { from: '2026-11-01', to: '2027-11-02' })).toHaveProperty(
      'ok',
    );
  });

  it('refuses an unknown grouping, a malformed tenant and unknown parameters', async () => {
    const base = { from: '2026-11-01', to: '2026-12-01' };
    expect(fields(await check(GetUsageParams, { ...base, groupBy: 'partition' }))).toEqual([
      'query.groupBy',
    ]);
    expect(fields(await check(GetUsageParams, { ...base, tenant: 'ACME;drop' }))).toEqual([
      'query.tenant',
    ]);
    expect(fields(await check(GetUsageParams, { ...base, limit: '5' }))).toEqual(['query.limit']);
  });
});

describe('invoice parameters', () => {
  it('takes a tenant id and an optional YYYY-MM month', async () => {
    expect(await check(GetInvoicePathParams, { tenant: 'acme' }, 'param')).toHaveProperty('ok');
    expect(await check(GetInvoiceParams, {})).toEqual({ ok: {} });
    expect(await check(GetInvoiceParams, { month: '2026-11' })).toEqual({
      ok: { month: '2026-11' },
    });
    for (const month of ['2026-13', '2026-1', '202611', '2026-11-01'])
      expect(fields(await check(GetInvoiceParams, { month }))).toEqual(['query.month']);
    expect(fields(await check(GetInvoicePathParams, { tenant: 'Nope!' }, 'param'))).toEqual([
      'params.tenant',
    ]);
  });

  it('covers the calendar month in UTC, December into January', () => {
    expect(monthPeriod('2026-12')).toEqual({
      from: new Date('2026-12-01T00:00:00Z'),
      to: new Date('2027-01-01T00:00:00Z'),
    });
    expect(monthPeriod('2028-02').to).toEqual(new Date('2028-03-01T00:00:00Z'));
  });
});
