import "server-only";

import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dataDirFromEnv } from "@/db/client";

/**
 * The key that signs session cookies. Set BETTER_AUTH_SECRET in production (every app server
 * must share it). On a fresh local install one is generated once and kept beside the embedded
 * database, so sessions survive restarts without any set-up.
 */
export function resolveAuthSecret(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BETTER_AUTH_SECRET) return env.BETTER_AUTH_SECRET;
  const dataRoot = path.dirname(dataDirFromEnv(env));
  const file = path.join(dataRoot, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataRoot, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { flag: "wx", mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
