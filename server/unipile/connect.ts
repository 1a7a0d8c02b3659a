import "server-only";

import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Database } from "@/db/client";
import { requestInboxBackfill } from "@/db/inbox/backfill";
import { findSenderAccount } from "@/db/queries/accounts";
import { createSenderAccount } from "@/db/queries/launch";
import {
  completeAccountConnection,
  findAccountConnection,
  findUnipileAccount,
  insertAccountConnection,
  moveAccountStatus,
} from "@/db/queries/unipile";
import { localDate, TimeZoneSchema } from "@/workflows/engine/pacing/index";
import { LINKEDIN_PLANS, type LinkedinPlan } from "@/workflows/providers/types";
import { describeFailure, withTimeout } from "@/workflows/providers/unipile/index";
import { badRequest, conflict, HttpError, notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { deriveSecret, encryptionKeyFrom, requireEncryptionKey, secretsMatch } from "./crypto";
import { appBaseUrl } from "./webhooks";
import { requireWorkspaceUnipile } from "./workspace-unipile";

// Connecting a LinkedIn seat through Unipile's hosted auth: Outflow asks Unipile for a link,
// the user signs in to LinkedIn on Unipile's page, and Unipile calls back (server to server)
// with the new account id. The callback URL carries a token signed with the server's key, so
// only the link Outflow made can complete its connection.

/** A connection link, and the callback it promises, are good for an hour. */
export const LINK_LIFETIME_MS = 60 * 60 * 1000;

export const connectAccountInput = z.object({
  name: z.string().trim().min(2, "Give the account a name of at least 2 characters.").max(80),
  timeZone: z.string().trim().pipe(TimeZoneSchema),
  /** A new seat ramps its caps up over the first weeks; off for a seat already in use. */
  warmup: z.boolean().default(true),
  /** The seat's LinkedIn plan: which product its InMails go through. */
  plan: z.enum(LINKEDIN_PLANS).default("premium"),
});

export const reconnectAccountInput = z.object({ accountId: z.string().min(1).max(100) });

interface CallbackSettings {
  timeZone: string;
  warmup: boolean;
  plan: LinkedinPlan;
}

function callbackToken(key: Buffer, connectionId: string, settings: CallbackSettings) {
  const { timeZone, warmup, plan } = settings;
  return deriveSecret(
    key,
    `unipile-connection|${connectionId}|${timeZone}|${warmup ? 1 : 0}|${plan}`,
  );
}

function callbackUrl(key: Buffer, connectionId: string, settings: CallbackSettings) {
  const query = new URLSearchParams({
    connection: connectionId,
    tz: settings.timeZone,
    warmup: settings.warmup ? "1" : "0",
    plan: settings.plan,
    token: callbackToken(key, connectionId, settings),
  });
  return `${appBaseUrl()}/api/accounts/unipile/callback?${query.toString()}`;
}

async function hostedLink(
  caller: Caller,
  input: {
    connectionId: string;
    type: "create" | "reconnect";
    providerAccountId?: string;
    timeZone: string;
    warmup: boolean;
    plan: LinkedinPlan;
    now: Date;
  },
): Promise<string> {
  const unipile = await requireWorkspaceUnipile(caller.db, caller.workspace.workspaceId);
  const key = requireEncryptionKey();
  const base = appBaseUrl();
  const common = {
    api_url: unipile.dsn,
    expiresOn: new Date(input.now.getTime() + LINK_LIFETIME_MS).toISOString(),
    // Unipile hands the name back in the callback: it names the connection, not the seat.
    name: input.connectionId,
    notify_url: callbackUrl(key, input.connectionId, {
      timeZone: input.timeZone,
      warmup: input.warmup,
      plan: input.plan,
    }),
    success_redirect_url: `${base}/accounts?connected=${input.connectionId}`,
    failure_redirect_url: `${base}/accounts?connection_failed=1`,
  };
  let answer: unknown;
  try {
    answer = await withTimeout("create hosted auth link", 15_000, () =>
      input.type === "create"
        ? unipile.client.account.createHostedAuthLink({
            ...common,
            type: "create",
            providers: ["LINKEDIN"],
          })
        : unipile.client.account.createHostedAuthLink({
            ...common,
            type: "reconnect",
            reconnect_account: input.providerAccountId ?? "",
          }),
    );
  } catch (error) {
    throw badRequest(
      `Unipile did not give a connection link: ${describeFailure(error)}.`,
      "unipile_refused",
    );
  }
  const url = (answer as { url?: unknown }).url;
  if (typeof url !== "string" || !/^https?:\/\//.test(url)) {
    throw badRequest("Unipile's answer held no connection link.", "unipile_refused");
  }
  return url;
}

/** A hosted-auth link that connects a new LinkedIn seat to this workspace. */
export async function createConnectLink(
  caller: Caller,
  input: z.infer<typeof connectAccountInput>,
  now: Date = new Date(),
) {
  const connectionId = randomUUID();
  await insertAccountConnection(caller.db, {
    id: connectionId,
    workspaceId: caller.workspace.workspaceId,
    name: input.name,
    accountId: null,
    providerAccountId: null,
    createdAt: now,
  });
  const url = await hostedLink(caller, {
    connectionId,
    type: "create",
    timeZone: input.timeZone,
    warmup: input.warmup,
    plan: input.plan,
    now,
  });
  return { connectionId, url };
}

/** A hosted-auth link that reconnects one of the workspace's Unipile seats. */
export async function createReconnectLink(
  caller: Caller,
  input: z.infer<typeof reconnectAccountInput>,
  now: Date = new Date(),
) {
  const account = await findSenderAccount(caller.db, caller.workspace.workspaceId, input.accountId);
  if (!account) throw notFound("Sender account");
  if (account.provider !== "unipile") {
    throw badRequest("Only LinkedIn accounts connected through Unipile can be reconnected.");
  }
  const connectionId = randomUUID();
  await insertAccountConnection(caller.db, {
    id: connectionId,
    workspaceId: caller.workspace.workspaceId,
    name: account.name,
    accountId: account.id,
    providerAccountId: account.providerAccountId,
    createdAt: now,
  });
  const timeZone = (account.pacing as { timeZone?: string }).timeZone ?? "UTC";
  const url = await hostedLink(caller, {
    connectionId,
    type: "reconnect",
    providerAccountId: account.providerAccountId,
    timeZone,
    warmup: false,
    plan: LINKEDIN_PLANS.includes(account.linkedinPlan as LinkedinPlan)
      ? (account.linkedinPlan as LinkedinPlan)
      : "premium",
    now,
  });
  return { connectionId, url };
}

const callbackQuery = z.object({
  connection: z.string().min(1).max(100),
  tz: z.string().trim().pipe(TimeZoneSchema),
  warmup: z.enum(["0", "1"]),
  plan: z.enum(LINKEDIN_PLANS).default("premium"),
  token: z.string().min(1).max(200),
});

const callbackBody = z.looseObject({
  status: z.string().min(1),
  account_id: z.string().min(1).max(200),
  name: z.string().nullish(),
});

export type ConnectionResult =
  | { status: "created" | "reconnected" | "already_completed"; accountId: string | null }
  | { status: "ignored"; reason: string };

/** Unipile's callback after the hosted sign-in: creates or revives the seat. */
export async function completeUnipileConnection(
  db: Database,
  query: URLSearchParams,
  body: unknown,
  now: Date = new Date(),
): Promise<ConnectionResult> {
  const parsedQuery = callbackQuery.safeParse(Object.fromEntries(query.entries()));
  if (!parsedQuery.success)
    throw new HttpError(401, "unauthorized", "Not a callback Outflow made.");
  const { connection: connectionId, tz, warmup, plan, token } = parsedQuery.data;
  let key: Buffer | null;
  try {
    key = encryptionKeyFrom();
  } catch {
    key = null;
  }
  const settings = { timeZone: tz, warmup: warmup === "1", plan };
  if (!key || !secretsMatch(token, callbackToken(key, connectionId, settings))) {
    throw new HttpError(401, "unauthorized", "Not a callback Outflow made.");
  }
  const connection = await findAccountConnection(db, connectionId);
  if (!connection) throw notFound("Connection");
  // The link Unipile was given expires after an hour; so does the callback it promises.
  if (
    !connection.completedAt &&
    now.getTime() - connection.createdAt.getTime() > LINK_LIFETIME_MS
  ) {
    throw new HttpError(
      410,
      "expired",
      "This connection link has expired: start the connection again.",
    );
  }
  const parsedBody = callbackBody.safeParse(body);
  if (!parsedBody.success) throw badRequest("The callback carries no account.");
  const { status, account_id: providerAccountId, name } = parsedBody.data;
  if (name && name !== connection.id) throw badRequest("The callback is for another connection.");

  if (connection.completedAt) {
    if (connection.providerAccountId === providerAccountId) {
      return { status: "already_completed", accountId: connection.accountId };
    }
    throw conflict("This connection link was already used.");
  }
  if (status !== "CREATION_SUCCESS" && status !== "RECONNECTED") {
    return { status: "ignored", reason: `status ${status}` };
  }
  const revive = async (accountId: string) => {
    await moveAccountStatus(db, accountId, {
      from: ["needs_reconnect", "stopped"],
      to: "active",
      reason: null,
    });
    // What was written while the session was lost is read back in the engine's background.
    await requestInboxBackfill(db, accountId, now);
  };

  if (connection.accountId) {
    const account = await findSenderAccount(db, connection.workspaceId, connection.accountId);
    if (!account) throw notFound("Sender account");
    if (account.providerAccountId !== providerAccountId) {
      throw conflict("Unipile reconnected a different LinkedIn account.");
    }
    await revive(account.id);
    await completeAccountConnection(db, connection.id, {
      providerAccountId,
      accountId: account.id,
      at: now,
    });
    return { status: "reconnected", accountId: account.id };
  }

  const existing = await findUnipileAccount(db, providerAccountId);
  if (existing) {
    if (existing.workspaceId !== connection.workspaceId) {
      throw conflict("This LinkedIn account is connected to another workspace.");
    }
    await revive(existing.id);
    await completeAccountConnection(db, connection.id, {
      providerAccountId,
      accountId: existing.id,
      at: now,
    });
    return { status: "reconnected", accountId: existing.id };
  }
  const accountId = await createSenderAccount(db, connection.workspaceId, {
    name: connection.name,
    provider: "unipile",
    providerAccountId,
    linkedinPlan: plan,
    pacing: {
      timeZone: tz,
      warmup: { startDate: warmup === "1" ? localDate(now, tz) : null },
    },
  });
  await completeAccountConnection(db, connection.id, { providerAccountId, accountId, at: now });
  // The seat's existing conversations with leads of the workspace come into the inbox.
  await requestInboxBackfill(db, accountId, now);
  return { status: "created", accountId };
}
