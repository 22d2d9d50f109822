import { ExactDecimal } from './exact-decimal';
import { PriceList } from './price-list';
import { costOf } from './usage-cost';

const seed000 = new PriceList(ExactDecimal.parse('0.005'), ExactDecimal.parse('0.00001'), 'BRL');

describe('the cost of usage at seed 000 prices (R$0.005 per message, R$0.00001 per byte)', () => {
  it('prices 3 messages and 1,234 bytes at 0.015 + 0.01234 = 0.02734, due R$0.03', () => {
    expect(costOf({ messages: 3n, bytes: 1234n }, seed000)).toEqual({
      messages: '0.015',
      bytes: '0.01234',
      total: '0.02734',
      amount: '0.03',
    });
  });

  it('rounds an exact half centavo up: one message is R$0.005, due R$0.01', () => {
    expect(costOf({ messages: 1n, bytes: 0n }, seed000)).toMatchObject({
      total: '0.005',
      amount: '0.01',
    });
  });

  it('rounds once at the end: many sub-centavo parts add up before rounding', () => {
    // 499 bytes cost 0.00499, which alone would round to 0.00; 1,000 such requests cost 4.99.
    expect(costOf({ messages: 0n, bytes: 499n * 1000n }, seed000).amount).toBe('4.99');
  });

  it('costs nothing for no usage', () => {
    expect(costOf({ messages: 0n, bytes: 0n }, seed000)).toEqual({
      messages: '0',
      bytes: '0',
      total: '0',
      amount: '0.00',
    });
  });

  it('uses the configured price list', () => {
    const prices = new PriceList(ExactDecimal.parse('0.1'), ExactDecimal.parse('0'), 'USD');
    expect(costOf({ messages: 7n, bytes: 10n ** 12n }, prices)).toMatchObject({
      total: '0.7',
      amount: '0.70',
    });
  });
});
