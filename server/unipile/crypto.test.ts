import { describe, expect, it } from "vitest";
import {
  decryptSecret,
  EncryptionKeyError,
  encryptionKeyFrom,
  encryptSecret,
  requireEncryptionKey,
  secretsMatch,
} from "./crypto";

const KEY_B64 = Buffer.alloc(32, 7).toString("base64");

describe("credential encryption", () => {
  it("round-trips a key and never stores it in clear", () => {
    const key = encryptionKeyFrom({ OUTFLOW_ENCRYPTION_KEY: KEY_B64 })!;
    const sealed = encryptSecret("unipile-api-key-123", key, "workspace-a");
    expect(sealed).not.toContain("unipile-api-key-123");
    expect(decryptSecret(sealed, key, "workspace-a")).toBe("unipile-api-key-123");
    // A fresh nonce every time.
    expect(encryptSecret("unipile-api-key-123", key, "workspace-a")).not.toBe(sealed);
  });

  it("does not decrypt under another workspace or another key", () => {
    const key = encryptionKeyFrom({ OUTFLOW_ENCRYPTION_KEY: KEY_B64 })!;
    const sealed = encryptSecret("secret", key, "workspace-a");
    expect(() => decryptSecret(sealed, key, "workspace-b")).toThrow();
    const other = encryptionKeyFrom({ OUTFLOW_ENCRYPTION_KEY: "ab".repeat(32) })!;
    expect(() => decryptSecret(sealed, other, "workspace-a")).toThrow();
  });

  it("says clearly when the key is missing or malformed", () => {
    expect(encryptionKeyFrom({})).toBeNull();
    expect(() => requireEncryptionKey({})).toThrow(/OUTFLOW_ENCRYPTION_KEY is not set/);
    expect(() => encryptionKeyFrom({ OUTFLOW_ENCRYPTION_KEY: "short" })).toThrow(
      EncryptionKeyError,
    );
  });

  it("compares secrets whatever their length, refusing empty ones", () => {
    expect(secretsMatch("abc", "abc")).toBe(true);
    expect(secretsMatch("abd", "abc")).toBe(false);
    expect(secretsMatch("a-much-longer-guess", "abc")).toBe(false);
    expect(secretsMatch("", "")).toBe(false);
    expect(secretsMatch(null, "abc")).toBe(false);
  });
});
