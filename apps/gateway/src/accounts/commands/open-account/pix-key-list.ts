import type { PixKeyType } from '@event-hub/pix-data';
import type { FieldError } from '@event-hub/service-runtime';
import { checkPixKey } from '../../../pix/pix-keys';

export type StoredPixKey = { type: PixKeyType; value: string };

/**
 * The keys of a new account in their stored form, or the fields that are wrong: each key valid
 * for its type, and none twice (after normalisation, `123.456.789-09` and `12345678909` are one).
 */
export function checkPixKeyList(
  keys: { type: PixKeyType; value: string }[],
): { ok: true; keys: StoredPixKey[] } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const stored: StoredPixKey[] = [];
  const seen = new Set<string>();
  keys.forEach((key, i) => {
    const field = `body.pixKeys.${i}.value`;
    const check = checkPixKey(key.type, key.value);
    if (!check.ok) {
      errors.push({ field, message: `value ${check.reason}` });
      return;
    }
    const id = `${key.type}:${check.value}`;
    if (seen.has(id)) {
      errors.push({ field, message: `value repeats an earlier ${key.type} key` });
      return;
    }
    seen.add(id);
    stored.push({ type: key.type, value: check.value });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, keys: stored };
}
