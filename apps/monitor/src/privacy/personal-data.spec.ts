import {
  hasValidCpfCheckDigits,
  maskPersonalText,
  maskPersonalValue,
  normalizePersonalValue,
  personalValuesIn,
  replaceEmails,
} from './personal-data';
import { PersonalDataHasher } from './personal-data-hasher';

describe('personal data', () => {
  it('masks e-mails and CPFs as the issue shows, keeping the middle digits and the domain', () => {
    const found: string[] = [];
    expect(
      maskPersonalText('Ana <ana@example.com>, CPF 529.982.247-25 / 52998224725', (v) =>
        found.push(v),
      ),
    ).toBe('Ana <a**@example.com>, CPF ***.982.247-** / ***982247**');
    expect(found).toEqual(['ana@example.com', '52998224725', '52998224725']);
  });

  it('finds exactly the e-mails the plain regex finds, in time linear in the text', () => {
    const regex = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
    const mark = (email: string): string => `<${email}>`;
    const samples = [
      'a@b.cc.x@y.zz',
      '@@x@y.zz',
      'x@y.z',
      '.a@b.co@c.de',
      'ana@example.com, bob@@example.com, c@-.io, "e":"d.e@f-g.h.ij"}',
      '3f2a1c9e-0b7d-4e8a-9c1f-2b3d4e5f6a7b@tenant.example.org',
    ];
    // Random texts over the characters that matter (local-part and domain characters, @, dots,
    // a space): about one in eight holds an address.
    let seed = 7;
    const next = (): number => (seed = (seed * 48271) % 2147483647);
    const alphabet = 'ab.c@-9Z.x@de %';
    for (let i = 0; i < 2000; i += 1) {
      const length = next() % 30;
      samples.push(
        Array.from({ length }, () => alphabet.charAt(next() % alphabet.length)).join(''),
      );
    }
    for (const text of samples) expect(replaceEmails(text, mark)).toBe(text.replace(regex, mark));

    const longRun = `${'a1-'.repeat(20000)} ${'b'.repeat(60000)}@example.com`;
    const started = performance.now();
    expect(replaceEmails(longRun, mark)).toBe(longRun.replace(/ (b+@example\.com)/, ' <$1>'));
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('takes a bare 11-digit number for a CPF only when its check digits are valid', () => {
    expect(hasValidCpfCheckDigits('52998224725')).toBe(true);
    expect(hasValidCpfCheckDigits('11987654321')).toBe(false);
    expect(hasValidCpfCheckDigits('11111111111')).toBe(false);
  });

  it('masks a catalog-marked value whatever it holds', () => {
    expect(maskPersonalValue('Ana Maria Souza')).toBe('A** M** S**');
    expect(maskPersonalValue('ana@example.com')).toBe('a**@example.com');
    expect(maskPersonalValue('529.982.247-25')).toBe('***.982.247-**');
  });

  it('hashes a value the same way at index and search time, whatever its case or punctuation', () => {
    expect(normalizePersonalValue(' Ana@Example.COM ')).toBe('ana@example.com');
    expect(normalizePersonalValue('529.982.247-25')).toBe('52998224725');
    expect(normalizePersonalValue('Ana  Souza')).toBe('ana souza');
    expect(personalValuesIn('paid ANA@example.com 529.982.247-25')).toEqual({
      values: ['ana@example.com', '52998224725'],
      rest: 'paid',
    });
  });

  it('searches with the previous keys too, so a key rotation does not hide older records', () => {
    const previous = new PersonalDataHasher('old-key-old-key-old-key-old-key-old-key');
    const current = new PersonalDataHasher('new-key-new-key-new-key-new-key-new-key', [
      'old-key-old-key-old-key-old-key-old-key',
    ]);
    expect(current.hash('x')).not.toBe(previous.hash('x'));
    expect(current.searchHashes('x')).toEqual([current.hash('x'), previous.hash('x')]);
  });
});
