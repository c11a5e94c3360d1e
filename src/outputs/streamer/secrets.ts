import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Where stream keys live. Never in the settings file: the app plugs Electron's `safeStorage` (the OS
 * keychain, DPAPI or libsecret/kwallet) in as the cipher, so only ciphertext reaches the disk; the CLI
 * keeps the key in memory for one run.
 */
export interface SecretStore {
  get(name: string): Promise<string | null>;
  set(name: string, secret: string): Promise<void>;
  delete(name: string): Promise<void>;
}

/**
 * The part of Electron's safeStorage this needs. On Linux the app must report encryption unavailable
 * when safeStorage.getSelectedStorageBackend() is 'basic_text' (no keyring: it would only obfuscate).
 */
export interface StringCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export type SecretStoreProblem = 'unavailable' | 'corrupt' | 'undecryptable' | 'bad-name';

export class SecretStoreError extends Error {
  constructor(
    readonly problem: SecretStoreProblem,
    message: string,
  ) {
    super(message);
    this.name = 'SecretStoreError';
  }
}

interface SecretFile {
  version: 1;
  /** name -> base64 of the cipher's output. */
  secrets: Record<string, string>;
}

const NAME = /^[A-Za-z0-9_.:-]{1,128}$/;

function checkName(name: string): void {
  if (!NAME.test(name)) throw new SecretStoreError('bad-name', `secret name ${JSON.stringify(name)} must be 1-128 letters, digits or _ . : -`);
}

export class EncryptedFileSecretStore implements SecretStore {
  constructor(
    private readonly file: string,
    private readonly cipher: StringCipher,
  ) {}

  async get(name: string): Promise<string | null> {
    checkName(name);
    const stored = this.read().secrets[name];
    if (stored === undefined) return null;
    this.requireEncryption();
    try {
      return this.cipher.decryptString(Buffer.from(stored, 'base64'));
    } catch (error) {
      throw new SecretStoreError(
        'undecryptable',
        `the saved stream key cannot be decrypted (${(error as Error).message}); the system keyring may have been reset. Enter the key again.`,
      );
    }
  }

  async set(name: string, secret: string): Promise<void> {
    checkName(name);
    this.requireEncryption();
    const data = this.read();
    data.secrets[name] = this.cipher.encryptString(secret).toString('base64');
    this.write(data);
  }

  async delete(name: string): Promise<void> {
    checkName(name);
    const data = this.read();
    if (!(name in data.secrets)) return;
    delete data.secrets[name];
    this.write(data);
  }

  private requireEncryption(): void {
    if (!this.cipher.isEncryptionAvailable()) {
      throw new SecretStoreError(
        'unavailable',
        'this system offers no keyring to encrypt the stream key with, and Backdrop will not store it in plain text; enter the key each time you stream (or set up GNOME Keyring / KWallet)',
      );
    }
  }

  private read(): SecretFile {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, secrets: {} };
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new SecretStoreError('corrupt', `${this.file} is not valid JSON; delete it and enter the stream key again`);
    }
    const secrets = (parsed as { secrets?: unknown } | null)?.secrets;
    const valid =
      (parsed as { version?: unknown } | null)?.version === 1 &&
      typeof secrets === 'object' &&
      secrets !== null &&
      !Array.isArray(secrets) &&
      Object.values(secrets).every((v) => typeof v === 'string');
    if (!valid) throw new SecretStoreError('corrupt', `${this.file} does not hold Backdrop's secrets; delete it and enter the stream key again`);
    return parsed as SecretFile;
  }

  /** Temporary file then rename: a crash mid-write leaves the old file, never half a file. */
  private write(data: SecretFile): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(data, null, 2), { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.file);
  }
}

/** For one CLI run: nothing touches the disk. */
export class MemorySecretStore implements SecretStore {
  private readonly secrets = new Map<string, string>();

  async get(name: string): Promise<string | null> {
    checkName(name);
    return this.secrets.get(name) ?? null;
  }

  async set(name: string, secret: string): Promise<void> {
    checkName(name);
    this.secrets.set(name, secret);
  }

  async delete(name: string): Promise<void> {
    checkName(name);
    this.secrets.delete(name);
  }
}
