import { isValidCpf, normalizeCpf } from './cpf';

describe('CPF', () => {
  it.each(['52998224725', '529.982.247-25', '12345678909', '123.456.789-09', '11144477735'])(
    'accepts %s',
    (cpf) => expect(isValidCpf(cpf)).toBe(true),
  );

  it('rejects a wrong first or second check digit', () => {
    expect(isValidCpf('52998224735')).toBe(false);
    expect(isValidCpf('52998224726')).toBe(false);
  });

  it.each(['00000000000', '111.111.111-11', '99999999999'])(
    'rejects the all-same-digit number %s',
    (cpf) => expect(isValidCpf(cpf)).toBe(false),
  );

  it.each(['5299822472', '529982247250', '529.982.247.25', '529 982 247 25', '5299822472a', ''])(
    'rejects the malformed %j',
    (cpf) => expect(isValidCpf(cpf)).toBe(false),
  );

  it('normalizes the formatted spelling to 11 digits and leaves anything else alone', () => {
    expect(normalizeCpf('529.982.247-25')).toBe('52998224725');
    expect(normalizeCpf('52998224725')).toBe('52998224725');
    expect(normalizeCpf('529.98224725')).toBeUndefined();
  });
});
