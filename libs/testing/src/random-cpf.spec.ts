import { cpfOf, randomCpf } from './random-cpf';

function expectValidCpf(cpf: string): void {
  expect(cpf).toMatch(/^\d{11}$/);
  const d = cpf.split('').map(Number);
  const first = ((d.slice(0, 9).reduce((s, v, j) => s + v * (10 - j), 0) * 10) % 11) % 10;
  const second = ((d.slice(0, 10).reduce((s, v, j) => s + v * (11 - j), 0) * 10) % 11) % 10;
  expect([d[9], d[10]]).toEqual([first, second]);
}

describe('random CPF', () => {
  it('computes both check digits', () => {
    for (let i = 0; i < 200; i += 1) expectValidCpf(randomCpf());
  });
});

describe('CPF of a number', () => {
  it('is the classic valid example for its base digits', () => {
    expect(cpfOf(529982247)).toBe('52998224725');
  });

  it('gives distinct valid CPFs for consecutive numbers', () => {
    const cpfs = Array.from({ length: 500 }, (_, i) => cpfOf(123456000 + i));
    cpfs.forEach(expectValidCpf);
    expect(new Set(cpfs).size).toBe(cpfs.length);
  });

  it('never gives nine equal base digits', () => {
    expect(cpfOf(111111111).slice(0, 9)).not.toBe('111111111');
  });

  it('refuses numbers outside the nine digits', () => {
    expect(() => cpfOf(1e9)).toThrow(RangeError);
    expect(() => cpfOf(-1)).toThrow(RangeError);
  });
});
