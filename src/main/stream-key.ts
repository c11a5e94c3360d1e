/**
 * The stream URL and key, kept with Electron's safeStorage (keychain, DPAPI, libsecret/kwallet) in an
 * encrypted file under userData, never in the settings file. The URL is kept the same way because
 * users paste URLs with the key inside (an RTMP path, an SRT streamid). Where the system has no keyring
 * both live in memory for this run only, and the UI is told why.
 */
import { EncryptedFileSecretStore, SecretStoreError, type SecretStore, type StringCipher } from '../outputs/streamer/secrets';
import { parseStreamTarget, StreamUrlError, type StreamTarget } from '../outputs/streamer/url';

export const STREAM_SECRETS_FILE_NAME = 'stream-secrets.json';
const URL_NAME = 'stream-url';
const KEY_NAME = 'stream-key';

/** The part of Electron's safeStorage used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

/**
 * safeStorage as the secret store's cipher. On Linux without a keyring Electron falls back to a
 * hard-coded password ('basic_text'), which only obfuscates: that counts as no encryption.
 */
export function safeStorageCipher(safeStorage: SafeStorageLike, platform: NodeJS.Platform): StringCipher {
  return {
    isEncryptionAvailable: () =>
      safeStorage.isEncryptionAvailable() && !(platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text'),
    encryptString: (plain) => safeStorage.encryptString(plain),
    decryptString: (encrypted) => safeStorage.decryptString(encrypted),
  };
}

export function encryptedStreamStore(file: string, cipher: StringCipher): SecretStore {
  return new EncryptedFileSecretStore(file, cipher);
}

export class StreamCredentials {
  /** Used when the store cannot encrypt: the credentials last until Backdrop quits. */
  private memory: { url: string; key: string | null } | null = null;
  /** Why the credentials are not saved to disk, once that is known. */
  notSavedReason: string | null = null;

  constructor(private readonly store: SecretStore) {}

  /**
   * Checks the URL and key together (a specific StreamUrlError otherwise) and keeps them. `key` null
   * keeps the saved key; '' removes it (a URL with the key inside needs none).
   */
  async save(url: string, key: string | null): Promise<void> {
    const keep = key === null ? await this.key() : key;
    parseStreamTarget(url, keep || undefined);
    try {
      await this.store.set(URL_NAME, url);
      if (keep) await this.store.set(KEY_NAME, keep);
      else await this.store.delete(KEY_NAME);
      this.memory = null;
      this.notSavedReason = null;
    } catch (error) {
      if (!(error instanceof SecretStoreError) || error.problem !== 'unavailable') throw error;
      this.memory = { url, key: keep || null };
      this.notSavedReason = error.message;
    }
  }

  async url(): Promise<string> {
    if (this.memory) return this.memory.url;
    return (await this.read(URL_NAME)) ?? '';
  }

  async key(): Promise<string | null> {
    if (this.memory) return this.memory.key;
    return this.read(KEY_NAME);
  }

  /** What to publish to, or a StreamUrlError saying what is missing. */
  async target(): Promise<StreamTarget> {
    return parseStreamTarget(await this.url(), (await this.key()) ?? undefined);
  }

  /** The URL as the UI may show it: any key inside it hidden. */
  async shownUrl(): Promise<string> {
    const url = await this.url();
    try {
      return parseStreamTarget(url).redacted;
    } catch (error) {
      if (error instanceof StreamUrlError) return url;
      throw error;
    }
  }

  private async read(name: string): Promise<string | null> {
    try {
      return await this.store.get(name);
    } catch (error) {
      if (!(error instanceof SecretStoreError)) throw error;
      this.notSavedReason = error.message;
      return null;
    }
  }
}
