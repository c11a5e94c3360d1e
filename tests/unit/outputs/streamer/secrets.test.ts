import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EncryptedFileSecretStore, MemorySecretStore, SecretStoreError, type StringCipher } from '../../../../src/outputs/streamer/secrets';

/** A real cipher (AES-256-GCM) standing in for Electron's safeStorage, which only exists inside Electron. */
function aesCipher(available = true): StringCipher {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => available,
    encryptString(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decryptString(encrypted) {
      const d = createDecipheriv('aes-256-gcm', key, encrypted.subarray(0, 12));
      d.setAuthTag(encrypted.subarray(12, 28));
      return Buffer.concat([d.update(encrypted.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'secrets-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function problemOf(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
  } catch (error) {
    if (error instanceof SecretStoreError) return error.problem;
    throw error;
  }
  return 'none';
}

describe('EncryptedFileSecretStore', () => {
  it('round-trips a key while only ciphertext reaches the disk, readable by the owner alone', async () => {
    const file = join(dir, 'sub', 'secrets.json');
    const store = new EncryptedFileSecretStore(file, aesCipher());
    await store.set('stream:twitch', 'live_12345_abcdef');
    expect(await store.get('stream:twitch')).toBe('live_12345_abcdef');
    expect(readFileSync(file, 'utf8')).not.toContain('live_12345_abcdef');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await store.delete('stream:twitch');
    expect(await store.get('stream:twitch')).toBeNull();
  });

  it('refuses to store a key where no keyring can encrypt it', async () => {
    const store = new EncryptedFileSecretStore(join(dir, 's.json'), aesCipher(false));
    expect(await problemOf(() => store.set('k', 'v'))).toBe('unavailable');
  });

  it('says so when the file is corrupt or was written under another keyring', async () => {
    const file = join(dir, 's.json');
    writeFileSync(file, '{"version":1,"secrets":');
    expect(await problemOf(() => new EncryptedFileSecretStore(file, aesCipher()).get('k'))).toBe('corrupt');
    writeFileSync(file, '{"version":1,"secrets":{"k":5}}');
    expect(await problemOf(() => new EncryptedFileSecretStore(file, aesCipher()).get('k'))).toBe('corrupt');
    await new EncryptedFileSecretStore(join(dir, 'other.json'), aesCipher()).set('k', 'v');
    const foreign = new EncryptedFileSecretStore(join(dir, 'other.json'), aesCipher());
    expect(await problemOf(() => foreign.get('k'))).toBe('undecryptable');
  });

  it('refuses names that are not plain identifiers', async () => {
    const store = new EncryptedFileSecretStore(join(dir, 's.json'), aesCipher());
    expect(await problemOf(() => store.set('../x', 'v'))).toBe('bad-name');
  });
});

describe('MemorySecretStore', () => {
  it('holds keys for the run only', async () => {
    const store = new MemorySecretStore();
    await store.set('k', 'v');
    expect(await store.get('k')).toBe('v');
    await store.delete('k');
    expect(await store.get('k')).toBeNull();
  });
});
