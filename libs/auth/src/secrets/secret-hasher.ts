import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParameters {
  /** log2 of the CPU/memory cost N. */
  logN: number;
  /** Block size. */
  r: number;
  /** Parallelism. */
  p: number;
}

/** N=2^15, r=8, p=1: about 32 MiB and some tens of milliseconds per hash (OWASP's scrypt floor). */
export const DEFAULT_SCRYPT_PARAMETERS: ScryptParameters = { logN: 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/**
 * Parameters read back from a stored hash are bounded, so a tampered row cannot make a token
 * request allocate gigabytes or spin for minutes.
 */
const LIMITS = { logN: [10, 20], r: [1, 32], p: [1, 16] } as const;
const FORMAT =
  /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/**
 * Slow salted hashes of client secrets with Node's built-in scrypt, in the PHC string format
 * `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` (base64 without padding), so the parameters travel with
 * the hash and can be raised later without invalidating stored secrets.
 */
export class SecretHasher {
  constructor(private readonly parameters: ScryptParameters = DEFAULT_SCRYPT_PARAMETERS) {}

  async hash(secret: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await derive(secret, salt, this.parameters, KEY_BYTES);
    const { logN, r, p } = this.parameters;
    return `$scrypt$ln=${logN},r=${r},p=${p}$${b64(salt)}$${b64(key)}`;
  }

  /** True when `secret` matches `encoded`; false for a wrong secret or an unreadable hash. */
  async verify(secret: string, encoded: string): Promise<boolean> {
    const parsed = parseEncodedHash(encoded);
    if (!parsed) return false;
    const key = await derive(secret, parsed.salt, parsed.parameters, parsed.key.length);
    return timingSafeEqual(key, parsed.key);
  }

  /** True when a stored hash was made with weaker parameters than the current ones. */
  needsRehash(encoded: string): boolean {
    const parsed = parseEncodedHash(encoded);
    if (!parsed) return true;
    const { logN, r, p } = parsed.parameters;
    return logN < this.parameters.logN || r < this.parameters.r || p < this.parameters.p;
  }
}

export interface ParsedSecretHash {
  parameters: ScryptParameters;
  salt: Buffer;
  key: Buffer;
}

export function parseEncodedHash(encoded: string): ParsedSecretHash | undefined {
  const match = FORMAT.exec(encoded);
  if (!match) return undefined;
  const parameters = { logN: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  for (const name of ['logN', 'r', 'p'] as const) {
    const [min, max] = LIMITS[name];
    if (parameters[name] < min || parameters[name] > max) return undefined;
  }
  const salt = Buffer.from(match[4] ?? '', 'base64');
  const key = Buffer.from(match[5] ?? '', 'base64');
  if (salt.length < 8 || key.length < 16 || key.length > 64) return undefined;
  return { parameters, salt, key };
}

function derive(
  secret: string,
  salt: Buffer,
  { logN, r, p }: ScryptParameters,
  length: number,
): Promise<Buffer> {
  const N = 2 ** logN;
  // Node refuses anything above 32 MiB by default, which is exactly what N=2^15, r=8 needs.
  const options: ScryptOptions = { N, r, p, maxmem: 128 * N * r * p + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(secret.normalize('NFC'), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

function b64(buffer: Buffer): string {
  return buffer.toString('base64').replace(/=+$/, '');
}
