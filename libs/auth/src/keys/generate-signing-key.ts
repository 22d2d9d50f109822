import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A fresh RSA-2048 private key as PKCS#8 PEM. */
export function generateSigningKeyPem(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/**
 * Writes a fresh signing key to `path`, readable by its owner only (0600). Never overwrites an
 * existing file unless `overwrite` is set, so a running deployment's key is not replaced by
 * accident (that would invalidate every issued token).
 */
export function writeSigningKeyFile(path: string, { overwrite = false } = {}): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, generateSigningKeyPem(), { mode: 0o600, flag: overwrite ? 'w' : 'wx' });
  // The mode of writeFileSync only applies to a file it creates, and is subject to the umask.
  chmodSync(path, 0o600);
}

/** For `npm start`: creates the development key once; returns true when it did. */
export function ensureSigningKeyFile(path: string): boolean {
  if (existsSync(path)) return false;
  try {
    writeSigningKeyFile(path);
    return true;
  } catch (error) {
    // Another process created it first.
    if ((error as { code?: string }).code === 'EEXIST') return false;
    throw error;
  }
}
