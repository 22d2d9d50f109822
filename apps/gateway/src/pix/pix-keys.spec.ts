import { checkPixKey, isValidCnpj } from './pix-keys';
import { END_TO_END_ID, endToEndId } from './end-to-end-id';

describe('PIX keys', () => {
  it.each<[Parameters<typeof checkPixKey>[0], string, string]>([
    ['CPF', '529.982.247-25', '52998224725'],
    ['CPF', '52998224725', '52998224725'],
    ['CNPJ', '11.222.333/0001-81', '11222333000181'],
    ['CNPJ', '11222333000181', '11222333000181'],
    ['EMAIL', ' Ana.Silva@Example.COM ', 'ana.silva@example.com'],
    ['PHONE', '+5511987654321', '+5511987654321'],
    ['PHONE', '+551133334444', '+551133334444'],
    ['EVP', '3F0C6A8E-2B1D-4C5E-9F7A-1B2C3D4E5F60', '3f0c6a8e-2b1d-4c5e-9f7a-1b2c3d4e5f60'],
  ])('accepts the %s key %s as %s', (type, raw, stored) => {
    expect(checkPixKey(type, raw)).toEqual({ ok: true, value: stored });
  });

  it.each<[Parameters<typeof checkPixKey>[0], string]>([
    ['CPF', '529.982.247-26'],
    ['CPF', '111.111.111-11'],
    ['CNPJ', '11.222.333/0001-82'],
    ['CNPJ', '00000000000000'],
    ['EMAIL', 'ana@'],
    ['EMAIL', `${'a'.repeat(70)}@example.com`],
    ['PHONE', '11987654321'],
    ['PHONE', '+5501987654321'],
    ['PHONE', '+1415555123'],
    ['EVP', '3f0c6a8e-2b1d-1c5e-9f7a-1b2c3d4e5f60'],
  ])('refuses the %s key %s and says why', (type, raw) => {
    const check = checkPixKey(type, raw);
    expect(check.ok).toBe(false);
    expect(check.ok ? '' : check.reason).toMatch(/must be/);
  });

  it('checks both CNPJ check digits', () => {
    expect(isValidCnpj('11444777000161')).toBe(true);
    expect(isValidCnpj('11444777000171')).toBe(false);
    expect(isValidCnpj('11444777000160')).toBe(false);
  });
});

describe('end-to-end id', () => {
  it('is E, the ISPB, the UTC minute and 11 alphanumerics: 32 characters', () => {
    const id = endToEndId('12345678', new Date('2026-12-06T23:59:59.999-03:00'), () => 0);
    expect(id).toBe('E12345678202612070259AAAAAAAAAAA');
    expect(id).toHaveLength(32);
    expect(endToEndId('12345678', new Date())).toMatch(END_TO_END_ID);
  });

  it('refuses an ISPB that is not 8 digits', () => {
    expect(() => endToEndId('1234567', new Date())).toThrow(/8 digits/);
  });
});
