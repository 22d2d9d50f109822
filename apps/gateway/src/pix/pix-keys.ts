import type { PixKeyType } from '@event-hub/pix-data';
import { isValidCpf, normalizeCpf } from '../users/shared/cpf';

export type PixKeyCheck = { ok: true; value: string } | { ok: false; reason: string };

const CNPJ_PLAIN = /^\d{14}$/;
const CNPJ_FORMATTED = /^\d{2}\.\d{3}\.\d{3}\/\d{4}-\d{2}$/;
// The DICT caps e-mail keys at 77 characters.
const EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
// +55, a two-digit area code (no zero), then 8 digits (landline) or 9 starting with 9 (mobile).
const PHONE = /^\+55[1-9]{2}(?:9\d{8}|[2-8]\d{7})$/;
const EVP = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Validates a PIX key of the given type and returns the form it is stored and looked up in:
 * digits only for CPF and CNPJ, lower-case e-mail and EVP, `+55…` phone.
 */
export function checkPixKey(type: PixKeyType, raw: string): PixKeyCheck {
  switch (type) {
    case 'CPF': {
      const digits = normalizeCpf(raw);
      return digits && isValidCpf(digits)
        ? { ok: true, value: digits }
        : {
            ok: false,
            reason: 'must be a CPF with valid check digits (11 digits or 123.456.789-09)',
          };
    }
    case 'CNPJ': {
      const digits = CNPJ_PLAIN.test(raw) || CNPJ_FORMATTED.test(raw) ? raw.replace(/\D/g, '') : '';
      return isValidCnpj(digits)
        ? { ok: true, value: digits }
        : {
            ok: false,
            reason: 'must be a CNPJ with valid check digits (14 digits or 12.345.678/0001-95)',
          };
    }
    case 'EMAIL': {
      const value = raw.trim().toLowerCase();
      return value.length <= 77 && EMAIL.test(value)
        ? { ok: true, value }
        : { ok: false, reason: 'must be an e-mail address of at most 77 characters' };
    }
    case 'PHONE':
      return PHONE.test(raw)
        ? { ok: true, value: raw }
        : {
            ok: false,
            reason:
              'must be a Brazilian phone number as +55, area code and number, e.g. +5511987654321',
          };
    case 'EVP': {
      const value = raw.toLowerCase();
      return EVP.test(value)
        ? { ok: true, value }
        : { ok: false, reason: 'must be a random key: a version 4 UUID' };
    }
  }
}

/** 14 digits whose last two are the mod-11 check digits of the ones before, not all equal. */
export function isValidCnpj(digits: string): boolean {
  if (!CNPJ_PLAIN.test(digits) || /^(\d)\1{13}$/.test(digits)) return false;
  const d = [...digits].map(Number);
  return cnpjCheckDigit(d.slice(0, 12)) === d[12] && cnpjCheckDigit(d.slice(0, 13)) === d[13];
}

function cnpjCheckDigit(digits: number[]): number {
  // Weights run 2..9 from the right, repeating.
  const sum = digits.reduceRight(
    (acc, digit, i) => acc + digit * (((digits.length - 1 - i) % 8) + 2),
    0,
  );
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
}
