import "server-only";

import { UnipileClient } from "unipile-node-sdk";
import type { Database } from "@/db/client";
import { findProviderCredential } from "@/db/queries/unipile";
import { HttpError } from "../http/errors";
import { decryptSecret, ENCRYPTION_KEY_HELP, encryptionKeyFrom } from "./crypto";

// A workspace's Unipile DSN and API key. The key is encrypted before it is stored, decrypted
// only to build a client on the server, and never sent back to the browser or written to logs.

export function createUnipileClient(dsn: string, apiKey: string): UnipileClient {
  // Response validation and request logging stay off: logging would print payloads.
  return new UnipileClient(dsn, apiKey);
}

export interface WorkspaceUnipile {
  dsn: string;
  client: UnipileClient;
  updatedAt: Date;
}

/**
 * The workspace's Unipile client, or why there is none: no credentials saved, or the key to
 * decrypt them is not configured on this server.
 */
export async function workspaceUnipile(
  db: Database,
  workspaceId: string,
): Promise<WorkspaceUnipile | { missing: string }> {
  const row = await findProviderCredential(db, workspaceId);
  if (!row) return { missing: "No Unipile credentials are saved for this workspace." };
  let key: Buffer | null;
  try {
    key = encryptionKeyFrom();
  } catch (error) {
    return { missing: (error as Error).message };
  }
  if (!key) return { missing: ENCRYPTION_KEY_HELP };
  let apiKey: string;
  try {
    apiKey = decryptSecret(row.apiKeyCiphertext, key, workspaceId);
  } catch {
    return {
      missing:
        "The stored Unipile API key cannot be decrypted with this server's OUTFLOW_ENCRYPTION_KEY: save the credentials again.",
    };
  }
  return { dsn: row.dsn, client: createUnipileClient(row.dsn, apiKey), updatedAt: row.updatedAt };
}

export async function requireWorkspaceUnipile(db: Database, workspaceId: string) {
  const found = await workspaceUnipile(db, workspaceId);
  if ("missing" in found) {
    throw new HttpError(409, "unipile_not_configured", found.missing);
  }
  return found;
}
