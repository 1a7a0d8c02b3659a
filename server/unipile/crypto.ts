import "server-only";

import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";
import { HttpError } from "../http/errors";

/**
 * The key that protects Unipile credentials at rest and signs the secrets handed to Unipile
 * (webhook header, connection callback). It comes from the environment only, so a copy of the
 * database alone never reveals an API key.
 */
export const ENCRYPTION_KEY_VARIABLE = "OUTFLOW_ENCRYPTION_KEY";

export const ENCRYPTION_KEY_HELP = `Set ${ENCRYPTION_KEY_VARIABLE} to 32 random bytes (for example \`openssl rand -base64 32\`) on every app server and worker, then restart, to store Unipile credentials.`;

export class EncryptionKeyError extends HttpError {
  constructor(problem: string) {
    super(503, "encryption_key_missing", `${problem} ${ENCRYPTION_KEY_HELP}`);
    this.name = "EncryptionKeyError";
  }
}

/** The key from the environment: 64 hex digits or base64 of 32 bytes; null when unset. */
export function encryptionKeyFrom(env: Partial<NodeJS.ProcessEnv> = process.env): Buffer | null {
  const value = env[ENCRYPTION_KEY_VARIABLE]?.trim();
  if (!value) return null;
  const key = /^[0-9a-fA-F]{64}$/.test(value)
    ? Buffer.from(value, "hex")
    : Buffer.from(value.replaceAll("-", "+").replaceAll("_", "/"), "base64");
  if (key.length !== 32) {
    throw new EncryptionKeyError(`${ENCRYPTION_KEY_VARIABLE} is not 32 bytes.`);
  }
  return key;
}

export function requireEncryptionKey(env: Partial<NodeJS.ProcessEnv> = process.env): Buffer {
  const key = encryptionKeyFrom(env);
  if (!key) throw new EncryptionKeyError(`${ENCRYPTION_KEY_VARIABLE} is not set.`);
  return key;
}

const VERSION = "v1";

/**
 * AES-256-GCM with a fresh 96-bit nonce. `context` (the workspace id) is bound as associated
 * data, so a ciphertext copied to another workspace's row does not decrypt.
 */
export function encryptSecret(plaintext: string, key: Buffer, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv, tag, body]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

export function decryptSecret(payload: string, key: Buffer, context: string): string {
  const [version, iv, tag, body] = payload.split(".");
  if (version !== VERSION || !iv || !tag || body === undefined) {
    throw new Error("The stored secret is not in a known format.");
  }
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([
    decipher.update(Buffer.from(body, "base64url")),
    decipher.final(),
  ]).toString("utf8");
}

/** A secret derived from the key for one purpose (HMAC-SHA256), URL- and header-safe. */
export function deriveSecret(key: Buffer, purpose: string): string {
  return createHmac("sha256", key).update(purpose, "utf8").digest("base64url");
}

/** Compares two secrets in constant time (both hashed first, so lengths leak nothing). */
export function secretsMatch(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== "string" || given.length === 0) return false;
  const a = createHmac("sha256", "outflow-compare").update(given).digest();
  const b = createHmac("sha256", "outflow-compare").update(expected).digest();
  return timingSafeEqual(a, b);
}
