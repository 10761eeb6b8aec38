import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { env } from "~/env.server";

// Secrets a shop gives us (its own Telnyx API key) are sealed with AES-256-GCM before they touch the database.
// The sealed form carries a version so the key or the scheme can rotate later, and an optional context
// (the shop id) is bound in as additional authenticated data: a ciphertext copied onto another shop's row does
// not decrypt there.

const VERSION = "v1";
const IV_BYTES = 12; // the size GCM is specified for
const TAG_BYTES = 16;

export class DecryptionError extends Error {
  constructor(message = "The secret could not be decrypted: wrong key, wrong context, or altered data.") {
    super(message);
    this.name = "DecryptionError";
  }
}

export interface SealOptions {
  /** 32 bytes, or their base64. Defaults to PARLEY_ENCRYPTION_KEY. */
  key?: Buffer | string;
  /** Bound to the ciphertext (e.g. the shop id); the same value must be given to decrypt. */
  context?: string;
}

function resolveKey(key: Buffer | string | undefined): Buffer {
  const bytes =
    key === undefined
      ? Buffer.from(env().PARLEY_ENCRYPTION_KEY, "base64")
      : typeof key === "string"
        ? Buffer.from(key, "base64")
        : key;
  if (bytes.length !== 32) throw new Error("The encryption key must be 32 bytes (base64 of 32 random bytes).");
  return bytes;
}

/** Seals `plaintext` as `v1.<iv>.<tag>.<ciphertext>` (base64url parts). */
export function encryptSecret(plaintext: string, options: SealOptions = {}): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", resolveKey(options.key), iv, { authTagLength: TAG_BYTES });
  if (options.context !== undefined) cipher.setAAD(Buffer.from(options.context, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv, tag, ciphertext]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

/** Opens a value sealed by `encryptSecret`; throws `DecryptionError` on any mismatch or tampering. */
export function decryptSecret(sealed: string, options: SealOptions = {}): string {
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) throw new DecryptionError("Not a sealed secret of a known version.");
  const [, ivPart, tagPart, dataPart] = parts;
  const iv = Buffer.from(ivPart, "base64url");
  const tag = Buffer.from(tagPart, "base64url");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new DecryptionError("The sealed secret is malformed.");
  try {
    const decipher = createDecipheriv("aes-256-gcm", resolveKey(options.key), iv, { authTagLength: TAG_BYTES });
    if (options.context !== undefined) decipher.setAAD(Buffer.from(options.context, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(dataPart, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new DecryptionError();
  }
}
