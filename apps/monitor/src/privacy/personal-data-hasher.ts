import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/**
 * Keyed hashes (HMAC-SHA256) of personal values, so an exact search still finds a record whose
 * copy in the index holds only the mask. New documents are hashed with the current key; a search
 * tries the previous keys too, so documents indexed before a key rotation stay findable until
 * they are re-indexed or age out.
 */
export class PersonalDataHasher {
  /** Key objects made once: a string key is turned into one on every `createHmac` otherwise. */
  private readonly keys: readonly KeyObject[];

  constructor(current: string, previous: readonly string[] = []) {
    this.keys = [current, ...previous.filter((key) => key !== current)].map((key) =>
      createSecretKey(Buffer.from(key, 'utf8')),
    );
  }

  /**
   * Hashes made lately, by value: a value masked in a record's `data` is met again in its
   * `message`, and a customer's e-mail or CPF in many records; an HMAC costs microseconds
   * (`createHmac` alone), a look-up a fraction of that. Emptied when full.
   */
  private readonly recent = new Map<string, string>();

  /** The hash stored with a document (current key). */
  hash(normalized: string): string {
    let hash = this.recent.get(normalized);
    if (hash === undefined) {
      if (this.recent.size >= RECENT_HASHES) this.recent.clear();
      hash = hmac(this.keys[0] as KeyObject, normalized);
      this.recent.set(normalized, hash);
    }
    return hash;
  }

  /** Every hash a document holding `normalized` may carry (one per key). */
  searchHashes(normalized: string): string[] {
    return this.keys.map((key) => hmac(key, normalized));
  }
}

const RECENT_HASHES = 4096;

function hmac(key: KeyObject, value: string): string {
  return createHmac('sha256', key).update(value, 'utf8').digest('base64url');
}
