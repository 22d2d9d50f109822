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

  /** The hash stored with a document (current key). */
  hash(normalized: string): string {
    return hmac(this.keys[0] as KeyObject, normalized);
  }

  /** Every hash a document holding `normalized` may carry (one per key). */
  searchHashes(normalized: string): string[] {
    return this.keys.map((key) => hmac(key, normalized));
  }
}

function hmac(key: KeyObject, value: string): string {
  return createHmac('sha256', key).update(value, 'utf8').digest('base64url');
}
