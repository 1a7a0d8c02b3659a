import "server-only";

import { UnipileClient } from "unipile-node-sdk";
import { z } from "zod";
import type { Database } from "@/db/client";
import {
  deleteProviderCredential,
  findProviderCredential,
  listUnipileAccountsNeedingReconnect,
  saveProviderCredential,
} from "@/db/queries/unipile";
import type { UnipilePanelView, UnipileSettingsView } from "@/views/unipile";
import {
  describeFailure,
  errorType,
  unipileErrorBody,
  withTimeout,
} from "@/workflows/providers/unipile/index";
import { badRequest, HttpError } from "../http/errors";
import type { Caller } from "../http/guard";
import { assertPublicHost } from "../net/public-host";
import { clearCredentialsProblemFor, reportCredentialsProblem } from "./credentials-problem";
import {
  decryptSecret,
  ENCRYPTION_KEY_HELP,
  encryptionKeyFrom,
  encryptSecret,
  requireEncryptionKey,
} from "./crypto";

// A workspace's Unipile DSN and API key. The key is encrypted before it is stored, decrypted
// only to build a client on the server, and never sent back to the browser or written to logs.

const TEST_TIMEOUT_MS = 10_000;

/** `OUTFLOW_ALLOW_LOCAL_DSN=1` lets a DSN be plain http on a local host (test fakes only). */
export function localDsnAllowed(env: Partial<NodeJS.ProcessEnv> = process.env): boolean {
  return env.OUTFLOW_ALLOW_LOCAL_DSN === "1";
}

/**
 * Unipile's base URL from what the dashboard shows: `api8.unipile.com:13851`, with or without
 * `https://`, with or without `/api/v1`. Always https, except a local fake when
 * OUTFLOW_ALLOW_LOCAL_DSN=1.
 */
export function normalizeDsn(input: string, env: Partial<NodeJS.ProcessEnv> = process.env): string {
  const trimmed = input.trim().replace(/\/+$/, "");
  const withScheme = /^[a-z]+:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(
      "Give the DSN as shown in Unipile's dashboard, for example api8.unipile.com:13851.",
    );
  }
  const local = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && local && localDsnAllowed(env))) {
    throw new Error("The DSN must use https.");
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new Error("The DSN is a host and a port only.");
  }
  const path = url.pathname.replace(/\/+$/, "");
  if (path !== "" && path !== "/api/v1") throw new Error("The DSN is a host and a port only.");
  // No trailing slash: the SDK would double it.
  return `${url.protocol}//${url.host}`;
}

const dsnField = z
  .string()
  .trim()
  .min(1, "Give the DSN from Unipile's dashboard.")
  .max(300)
  .transform((value, ctx) => {
    try {
      return normalizeDsn(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
      return z.NEVER;
    }
  });

export const saveCredentialsInput = z.object({
  dsn: dsnField,
  apiKey: z.string().trim().min(8, "Paste the API key (access token) from Unipile.").max(500),
});

export const credentialsActionInput = z.object({
  action: z.enum(["test", "register_webhooks"]),
});

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

/**
 * The DSN must name a public host: Outflow calls it from the server, so a private address
 * would let a workspace probe the server's own network. Refused unless OUTFLOW_ALLOW_LOCAL_DSN=1.
 */
export async function assertPublicDsn(
  dsn: string,
  env: Partial<NodeJS.ProcessEnv> = process.env,
  resolve?: (host: string) => Promise<string[]>,
): Promise<void> {
  if (localDsnAllowed(env)) return;
  try {
    await assertPublicHost(new URL(dsn).hostname, resolve);
  } catch (error) {
    throw badRequest(
      `The DSN must be Unipile's public address: ${(error as Error).message}`,
      "invalid_dsn",
    );
  }
}

/** Asks Unipile for the list of accounts: proves the DSN answers and the key is accepted. */
export async function probeUnipile(
  client: UnipileClient,
): Promise<{ ok: true; accounts: number } | { ok: false; message: string; refusedKey?: boolean }> {
  try {
    const answer = await withTimeout("list accounts", TEST_TIMEOUT_MS, () =>
      client.account.getAll({ limit: 100 }),
    );
    const items = (answer as { items?: unknown[] }).items;
    return { ok: true, accounts: Array.isArray(items) ? items.length : 0 };
  } catch (error) {
    const body = unipileErrorBody(error);
    if (body?.status === 401) {
      return {
        ok: false,
        refusedKey: true,
        message: `Unipile refused the API key (${errorType(body) || "401"}).`,
      };
    }
    return { ok: false, message: `Unipile could not be reached: ${describeFailure(error)}.` };
  }
}

/** What the accounts page shows about the workspace's Unipile set-up. Never the key. */
export async function getUnipileSettings(caller: Caller): Promise<UnipileSettingsView> {
  const row = await findProviderCredential(caller.db, caller.workspace.workspaceId);
  let problem: string | null = null;
  let keySet = false;
  try {
    keySet = encryptionKeyFrom() !== null;
    if (!keySet) problem = ENCRYPTION_KEY_HELP;
  } catch (error) {
    problem = (error as Error).message;
  }
  return {
    configured: row !== null,
    dsn: row?.dsn ?? null,
    updatedAt: row?.updatedAt ?? null,
    encryptionKeySet: keySet,
    encryptionKeyProblem: problem,
    credentialsProblem: row?.problem ?? null,
  };
}

/** Tests the DSN and key against Unipile, then stores them (the key encrypted). */
export async function saveUnipileCredentials(
  caller: Caller,
  input: z.infer<typeof saveCredentialsInput>,
  now: Date = new Date(),
) {
  const key = requireEncryptionKey();
  await assertPublicDsn(input.dsn);
  const probe = await probeUnipile(createUnipileClient(input.dsn, input.apiKey));
  if (!probe.ok) throw badRequest(probe.message, "unipile_refused");
  await saveProviderCredential(caller.db, caller.workspace.workspaceId, {
    dsn: input.dsn,
    apiKeyCiphertext: encryptSecret(input.apiKey, key, caller.workspace.workspaceId),
    at: now,
  });
  await clearCredentialsProblemFor(caller.db, caller.workspace.workspaceId, now);
  return {
    configured: true,
    dsn: input.dsn,
    updatedAt: now,
    message: `Saved. Unipile answered with ${probe.accounts} connected account${probe.accounts === 1 ? "" : "s"}.`,
  };
}

export async function testUnipileCredentials(caller: Caller, now: Date = new Date()) {
  const unipile = await requireWorkspaceUnipile(caller.db, caller.workspace.workspaceId);
  await assertPublicDsn(unipile.dsn);
  const probe = await probeUnipile(unipile.client);
  if (probe.ok) await clearCredentialsProblemFor(caller.db, caller.workspace.workspaceId, now);
  else if (probe.refusedKey) {
    await reportCredentialsProblem(caller.db, caller.workspace.workspaceId, null, now);
  }
  return probe.ok
    ? {
        ok: true,
        message: `Unipile answered with ${probe.accounts} connected account${probe.accounts === 1 ? "" : "s"}.`,
      }
    : { ok: false, message: probe.message };
}

export async function removeUnipileCredentials(caller: Caller) {
  await deleteProviderCredential(caller.db, caller.workspace.workspaceId);
  return { configured: false };
}

/** Everything the accounts page shows about real LinkedIn seats, in one read. */
export async function getUnipilePanel(caller: Caller): Promise<UnipilePanelView> {
  const [settings, needsReconnect] = await Promise.all([
    getUnipileSettings(caller),
    listUnipileAccountsNeedingReconnect(caller.db, caller.workspace.workspaceId),
  ]);
  return { ...settings, needsReconnect };
}
