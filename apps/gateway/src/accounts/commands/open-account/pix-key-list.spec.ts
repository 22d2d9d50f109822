import { checkPixKeyList } from './pix-key-list';

describe('the PIX keys of a new account', () => {
  it('are stored normalised', () => {
    expect(
      checkPixKeyList([
        { type: 'CPF', value: '529.982.247-25' },
        { type: 'EMAIL', value: 'Ana@Example.com' },
        { type: 'PHONE', value: '+5511987654321' },
        { type: 'EVP', value: '7D7E6A1C-3B0E-4C6B-9A51-1F1F3F7F0A11' },
      ]),
    ).toEqual({
      ok: true,
      keys: [
        { type: 'CPF', value: '52998224725' },
        { type: 'EMAIL', value: 'ana@example.com' },
        { type: 'PHONE', value: '+5511987654321' },
        { type: 'EVP', value: '7d7e6a1c-3b0e-4c6b-9a51-1f1f3f7f0a11' },
      ],
    });
  });

  it('name each invalid key by its position', () => {
    expect(
      checkPixKeyList([
        { type: 'EMAIL', value: 'ana@example.com' },
        { type: 'CPF', value: '529.982.247-26' },
        { type: 'PHONE', value: '11987654321' },
      ]),
    ).toEqual({
      ok: false,
      errors: [
        {
          field: 'body.pixKeys.1.value',
          message: 'value must be a CPF with valid check digits (11 digits or 123.456.789-09)',
        },
        {
          field: 'body.pixKeys.2.value',
          message:
            'value must be a Brazilian phone number as +55, area code and number, e.g. +5511987654321',
        },
      ],
    });
  });

  it('refuse the same key twice, even written differently', () => {
    expect(
      checkPixKeyList([
        { type: 'CPF', value: '52998224725' },
        { type: 'CPF', value: '529.982.247-25' },
      ]),
    ).toEqual({
      ok: false,
      errors: [{ field: 'body.pixKeys.1.value', message: 'value repeats an earlier CPF key' }],
    });
  });
});
