import { DEFAULT_SCRYPT_PARAMETERS, parseEncodedHash, SecretHasher } from './secret-hasher';

describe('SecretHasher', () => {
  // The default cost (N=2^15) is exercised once; the other cases use a cheaper one.
  const fast = new SecretHasher({ logN: 10, r: 8, p: 1 });

  it('hashes with scrypt N=2^15 by default and verifies the same secret', async () => {
    const hasher = new SecretHasher();
    const encoded = await hasher.hash('ehs_correct-horse');
    expect(encoded).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    await expect(hasher.verify('ehs_correct-horse', encoded)).resolves.toBe(true);
    expect(DEFAULT_SCRYPT_PARAMETERS.logN).toBeGreaterThanOrEqual(15);
  });

  it('refuses a wrong secret', async () => {
    const encoded = await fast.hash('ehs_secret');
    await expect(fast.verify('ehs_secreT', encoded)).resolves.toBe(false);
    await expect(fast.verify('', encoded)).resolves.toBe(false);
  });

  it('salts every hash, so one secret never hashes the same twice', async () => {
    const [a, b] = await Promise.all([fast.hash('same'), fast.hash('same')]);
    expect(a).not.toBe(b);
    expect(parseEncodedHash(a)?.salt.equals(parseEncodedHash(b)?.salt ?? Buffer.alloc(0))).toBe(
      false,
    );
  });

  it('encodes the parameters with the hash, so a verifier with other defaults still verifies it', async () => {
    const encoded = await fast.hash('ehs_x');
    expect(parseEncodedHash(encoded)?.parameters).toEqual({ logN: 10, r: 8, p: 1 });
    await expect(new SecretHasher().verify('ehs_x', encoded)).resolves.toBe(true);
    expect(new SecretHasher().needsRehash(encoded)).toBe(true);
    expect(fast.needsRehash(encoded)).toBe(false);
  });

  it('treats an unreadable or out-of-bounds stored hash as a mismatch instead of running it', async () => {
    const encoded = await fast.hash('ehs_x');
    await expect(fast.verify('ehs_x', 'plain-text')).resolves.toBe(false);
    await expect(fast.verify('ehs_x', encoded.replace('ln=10', 'ln=30'))).resolves.toBe(false);
    await expect(fast.verify('ehs_x', encoded.replace('r=8', 'r=99'))).resolves.toBe(false);
  });
});
