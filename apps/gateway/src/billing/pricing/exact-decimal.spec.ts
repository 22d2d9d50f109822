import { ExactDecimal } from './exact-decimal';

describe('exact decimals', () => {
  it('reads and prints decimals without losing a digit', () => {
    expect(ExactDecimal.parse('0.00001').toString()).toBe('0.00001');
    expect(ExactDecimal.parse('12.50').toString()).toBe('12.5');
    expect(ExactDecimal.parse('12.50').toFixed()).toBe('12.50');
    expect(ExactDecimal.parse('100').toString()).toBe('100');
    expect(ExactDecimal.parse('0.000').toString()).toBe('0');
  });

  it('rejects what is not a plain non-negative decimal', () => {
    for (const text of ['-1', '1e-5', '.5', '1.', '', ' 1', '0x10'])
      expect(() => ExactDecimal.parse(text)).toThrow();
  });

  it('adds and multiplies exactly where floats drift', () => {
    // 0.1 + 0.2 in floats is 0.30000000000000004.
    expect(ExactDecimal.parse('0.1').plus(ExactDecimal.parse('0.2')).toString()).toBe('0.3');
    expect(ExactDecimal.count('3').times(ExactDecimal.parse('0.005')).toString()).toBe('0.015');
    // Beyond 2^53 a number would already have rounded the count.
    expect(
      ExactDecimal.count('9007199254740993').times(ExactDecimal.parse('0.00001')).toString(),
    ).toBe('90071992547.40993');
  });

  it('rounds half-up to centavos', () => {
    const round = (text: string) => ExactDecimal.parse(text).roundHalfUp(2).toFixed();
    expect(round('0.02734')).toBe('0.03');
    expect(round('0.005')).toBe('0.01');
    expect(round('0.00499999')).toBe('0.00');
    expect(round('0.015')).toBe('0.02');
    expect(round('0.025')).toBe('0.03'); // half-up, not banker's (which gives 0.02)
    expect(round('1.994')).toBe('1.99');
    expect(round('1.995')).toBe('2.00');
    expect(round('7')).toBe('7.00');
    expect(round('0.1')).toBe('0.10');
  });
});
