import "server-only";

import { z } from "zod";
import { saveProviderCredential } from "@/db/queries/unipile";
import { badRequest } from "../http/errors";
import type { Caller } from "../http/guard";
import { clearCredentialsProblemFor } from "./credentials-problem";
import { assertPublicDsn, localDsnAllowed, probeUnipile } from "./credentials-shared";
import { encryptSecret, requireEncryptionKey } from "./crypto";
import { createUnipileClient } from "./workspace-unipile";

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
