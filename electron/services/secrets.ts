import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GalleyError } from '../../shared/errors.ts';

/**
 * CMS secrets at rest (issue #6, ARCHITECTURE.md Security). In the desktop app
 * electron/main.ts hands the back end a box backed by Electron's safeStorage (the
 * operating system's keychain). In browser mode, and in tests, the key is a random
 * 256-bit file in the data folder readable only by its owner, and secrets are sealed
 * with AES-256-GCM, so a copied database alone does not give the passwords away.
 * Decrypted secrets stay in the back end: they are never logged, never returned.
 */
export type SecretBox = {
  /** How secrets are protected, for the Settings dialog to say. */
  kind: 'os-keychain' | 'key-file';
  seal(plain: string): Buffer;
  open(sealed: Buffer): string;
};

const MAGIC = Buffer.from('GS1');

/** `fileName`: the desk names its key desk-secret.key (or whatever --key-file says). */
export function keyFileBox(dataDir: string, fileName = 'secret.key'): SecretBox {
  const file = join(dataDir, fileName);
  let key: Buffer | null = null;
  const loadKey = (): Buffer => {
    if (key) return key;
    if (existsSync(file)) {
      const mode = statSync(file).mode & 0o777;
      // Someone widened it: narrow it again rather than keep a readable key.
      if (process.platform !== 'win32' && mode & 0o077) chmodSync(file, 0o600);
      key = readFileSync(file);
      if (key.length !== 32) throw new GalleyError('damaged', `The key file ${file} is damaged (expected 32 bytes). Remove it and enter the publish targets' passwords again.`);
    } else {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      key = randomBytes(32);
      writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
    }
    return key;
  };
  return {
    kind: 'key-file',
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', loadKey(), iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]);
    },
    open(sealed) {
      if (!sealed.subarray(0, 3).equals(MAGIC)) throw new GalleyError('damaged', 'A stored secret was not sealed by this workstation; enter it again in Settings → Publish targets.');
      try {
        const decipher = createDecipheriv('aes-256-gcm', loadKey(), sealed.subarray(3, 15));
        decipher.setAuthTag(sealed.subarray(15, 31));
        return Buffer.concat([decipher.update(sealed.subarray(31)), decipher.final()]).toString('utf8');
      } catch {
        throw new GalleyError('damaged', 'A stored secret cannot be decrypted (the key file changed); enter it again in Settings → Publish targets.');
      }
    },
  };
}
