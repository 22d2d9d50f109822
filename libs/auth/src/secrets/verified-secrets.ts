import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface VerifiedSecretsOptions {
  /** How long a verified secret is recognised without scrypt. */
  ttlMs: number;
  maxEntries: number;
  clock?: () => number;
}

interface Entry {
  storedHash: string;
  digest: Buffer;
  verifiedAt: number;
}

/**
 * Client secrets that passed the slow scrypt check recently, so a client asking for tokens again
 * costs an HMAC instead of tens of milliseconds of scrypt, and is not slowed down by someone
 * guessing secrets. An entry is bound to the stored hash it was checked against: once the secret is
 * rotated it no longer matches. Secrets are 256 random bits, so a fast keyed hash in memory (with
 * a key that never leaves the process) reveals nothing a slow one would protect.
 */
export class VerifiedSecrets {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, Entry>();
  private readonly clock: () => number;

  constructor(private readonly options: VerifiedSecretsOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /** True when `secret` was verified against `storedHash` for this client within the TTL. */
  matches(clientId: string, storedHash: string, secret: string): boolean {
    return this.entries.get(clientId)?.storedHash === storedHash && this.mayMatch(clientId, secret);
  }

  /**
   * True when `secret` was verified for this client within the TTL, whatever is stored now: a
   * check that needs no database read, to turn guesses away before they cost one. Confirm with
   * {@link matches} against the stored hash.
   */
  mayMatch(clientId: string, secret: string): boolean {
    const entry = this.entries.get(clientId);
    if (!entry || this.clock() - entry.verifiedAt >= this.options.ttlMs) return false;
    return timingSafeEqual(entry.digest, this.digest(secret));
  }

  remember(clientId: string, storedHash: string, secret: string): void {
    if (this.options.ttlMs <= 0) return;
    this.entries.delete(clientId);
    this.entries.set(clientId, {
      storedHash,
      digest: this.digest(secret),
      verifiedAt: this.clock(),
    });
    if (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  private digest(secret: string): Buffer {
    return createHmac('sha256', this.key).update(secret.normalize('NFC')).digest();
  }
}
