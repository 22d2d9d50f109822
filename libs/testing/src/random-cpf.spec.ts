import { randomCpf } from './random-cpf';

describe('random CPF', () => {
  it('computes both check digits', () => {
    // 529.982.247-25 is the classic valid example: same algorithm, fixed digits.
    for (let i = 0; i < 200; i += 1) {
      const cpf = randomCpf();
      expect(cpf).toMatch(/^\d{11}$/);
      const d = cpf.split('').map(Number);
      const first = ((d.slice(0, 9).reduce((s, v, j) => s + v * (10 - j), 0) * 10) % 11) % 10;
      const second = ((d.slice(0, 10).reduce((s, v, j) => s + v * (11 - j), 0) * 10) % 11) % 10;
      expect([d[9], d[10]]).toEqual([first, second]);
    }
  });
});
