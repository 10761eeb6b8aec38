import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import { DecryptionError, decryptSecret, encryptSecret } from "./crypto.server";

const key = randomBytes(32);
const otherKey = randomBytes(32);

describe("encryptSecret / decryptSecret", () => {
  test("round trip, including non-ASCII text", () => {
    for (const secret of ["KEY0123456789ABCDEF_abcdef", "", "clé secrète – 🔑"]) {
      expect(decryptSecret(encryptSecret(secret, { key }), { key })).toBe(secret);
    }
  });

  test("every sealing uses a fresh IV, and the plaintext does not appear in the sealed form", () => {
    const a = encryptSecret("KEY_same", { key });
    const b = encryptSecret("KEY_same", { key });
    expect(a).not.toBe(b);
    expect(a).not.toContain("KEY_same");
    expect(a.startsWith("v1.")).toBe(true);
  });

  test("uses PARLEY_ENCRYPTION_KEY by default (given as base64)", () => {
    const sealed = encryptSecret("KEY_env");
    expect(decryptSecret(sealed, { key: process.env.PARLEY_ENCRYPTION_KEY })).toBe("KEY_env");
    expect(decryptSecret(sealed)).toBe("KEY_env");
  });

  test("detects tampering with the ciphertext, the tag or the IV", () => {
    const sealed = encryptSecret("KEY_tamper", { key });
    const [version, iv, tag, data] = sealed.split(".");
    const flip = (part: string) => {
      const bytes = Buffer.from(part, "base64url");
      bytes[0] ^= 0x01;
      return bytes.toString("base64url");
    };
    for (const altered of [
      [version, iv, tag, flip(data)],
      [version, iv, flip(tag), data],
      [version, flip(iv), tag, data],
    ]) {
      expect(() => decryptSecret(altered.join("."), { key })).toThrow(DecryptionError);
    }
  });

  test("refuses the wrong key", () => {
    const sealed = encryptSecret("KEY_wrong_key", { key });
    expect(() => decryptSecret(sealed, { key: otherKey })).toThrow(DecryptionError);
  });

  test("binds the context: a secret sealed for one shop does not open for another", () => {
    const sealed = encryptSecret("KEY_shop_a", { key, context: "a.myshopify.com" });
    expect(decryptSecret(sealed, { key, context: "a.myshopify.com" })).toBe("KEY_shop_a");
    expect(() => decryptSecret(sealed, { key, context: "b.myshopify.com" })).toThrow(DecryptionError);
    expect(() => decryptSecret(sealed, { key })).toThrow(DecryptionError);
  });

  test("rejects malformed input and keys of the wrong size", () => {
    expect(() => decryptSecret("not-a-secret", { key })).toThrow(DecryptionError);
    expect(() => decryptSecret("v2.a.b.c", { key })).toThrow(DecryptionError);
    expect(() => encryptSecret("x", { key: randomBytes(16) })).toThrow(/32 bytes/);
  });
});
