import {
  ACCOUNT_CLOSED,
  INSUFFICIENT_FUNDS,
  SettlementPlan,
  type LockedAccount,
} from './settlement-plan';

const account = (id: string, balance: string, version = '1', closed = false): LockedAccount => ({
  id,
  tenant_id: 'acme',
  balance,
  version,
  closed_at: closed ? new Date() : null,
});

const payment = (id: string, payer: string, receiver: string, amount: string) => ({
  id,
  tenant_id: 'acme',
  payer_account_id: payer,
  receiver_account_id: receiver,
  amount,
  end_to_end_id: `E${id}`,
});

describe('settling a chunk of payments', () => {
  it('rejects the one payment its payer cannot cover and settles the others of the chunk', () => {
    const plan = new SettlementPlan([
      account('a', '10.00'),
      account('b', '0.00'),
      account('c', '5.00'),
    ]);

    expect(plan.settle(payment('p1', 'a', 'b', '6.00'))).toBe('settled');
    expect(plan.settle(payment('p2', 'a', 'b', '6.00'))).toBe('insufficient-funds');
    expect(plan.settle(payment('p3', 'c', 'b', '5.00'))).toBe('settled');

    expect(plan.outcomeColumns()).toEqual([
      ['p1', 'p2', 'p3'],
      ['settled', 'rejected', 'settled'],
      [null, INSUFFICIENT_FUNDS, null],
    ]);
    expect(plan.changedAccounts()).toEqual([
      { id: 'a', tenantId: 'acme', balance: '4.00', version: 2 },
      { id: 'b', tenantId: 'acme', balance: '11.00', version: 3 },
      { id: 'c', tenantId: 'acme', balance: '0.00', version: 2 },
    ]);
  });

  it('lets a payment spend what an earlier payment of the chunk credited, in both directions between two accounts', () => {
    const plan = new SettlementPlan([account('a', '0.00', '4'), account('b', '3.00', '7')]);

    expect(plan.settle(payment('p1', 'b', 'a', '3.00'))).toBe('settled');
    expect(plan.settle(payment('p2', 'a', 'b', '2.50'))).toBe('settled');

    // Every change has its ledger entry with the balance and version it produced.
    expect(plan.entryColumns()).toEqual([
      ['p1', 'p1', 'p2', 'p2'],
      ['b', 'a', 'a', 'b'],
      ['pix_debit', 'pix_credit', 'pix_debit', 'pix_credit'],
      ['-3.00', '3.00', '-2.50', '2.50'],
      ['3.00', '0.00', '3.00', '0.00'],
      ['0.00', '3.00', '0.50', '2.50'],
      [8, 5, 6, 9],
    ]);
    expect(plan.balanceColumns()).toEqual([
      ['a', 'b'],
      ['0.50', '2.50'],
      [6, 9],
    ]);
  });

  it('moves no money into or out of a closed account, and counts a payment twice in the chunk once', () => {
    const plan = new SettlementPlan([account('a', '10.00'), account('z', '0.00', '2', true)]);

    expect(plan.settle(payment('p1', 'a', 'z', '1.00'))).toBe('account-closed');
    expect(plan.decided('p1')).toBe(true);
    expect(plan.outcomeColumns()[2]).toEqual([ACCOUNT_CLOSED]);
    expect(plan.changedAccounts()).toEqual([]);
  });

  it('refuses to settle a payment whose accounts the caller did not lock', () => {
    const plan = new SettlementPlan([account('a', '10.00')]);
    expect(() => plan.settle(payment('p1', 'a', 'b', '1.00'))).toThrow(/not locked/);
  });
});
