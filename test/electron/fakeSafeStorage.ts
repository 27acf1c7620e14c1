import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * safeStorage as the OS keychain offers it: strings sealed with a secret only this fake knows
 * (standing in for the user's keychain), `basic_text` or unavailable when asked to play a system
 * without a secret service.
 */
export class FakeSafeStorage {
  readonly #secret = randomBytes(32);
  constructor(
    public available = true,
    public backend = 'gnome_libsecret',
  ) {}
  isEncryptionAvailable(): boolean {
    return this.available;
  }
  getSelectedStorageBackend(): string {
    return this.backend;
  }
  encryptString(plainText: string): Buffer {
    if (!this.available) throw new Error('Encryption is not available.');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#secret, iv);
    const sealed = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from('v11'), iv, cipher.getAuthTag(), sealed]);
  }
  decryptString(encrypted: Buffer): string {
    if (!this.available) throw new Error('Decryption is not available.');
    const decipher = createDecipheriv('aes-256-gcm', this.#secret, encrypted.subarray(3, 15));
    decipher.setAuthTag(encrypted.subarray(15, 31));
    return Buffer.concat([decipher.update(encrypted.subarray(31)), decipher.final()]).toString(
      'utf8',
    );
  }
}
