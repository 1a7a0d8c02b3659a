import "server-only";

import type { z } from "zod";
import { findSenderAccount, setSenderAccountStatus } from "@/db/queries/accounts";
import { recordOutboxEvents } from "@/db/webhooks/outbox";
import { conflict, notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { engineNow } from "../runtime/boot";
import type { accountIdInput } from "./account-shared";
import { describeStatus } from "./describe-account-state";

// Sender account operations shared by the route handlers and the server actions. Ids from the
// client are looked up inside caller.workspace, so another workspace's ids answer "not found".

/** Statuses a person may pause from; the engine's own verdicts (restricted…) stay as they are. */
const PAUSABLE_STATUSES = ["active", "cooling_down"];

export async function pauseAccount(caller: Caller, input: z.infer<typeof accountIdInput>) {
  const { db, workspace } = caller;
  const account = await findSenderAccount(db, workspace.workspaceId, input.accountId);
  if (!account) throw notFound("Sender account");
  if (account.status === "paused") return { id: account.id, status: "paused" };
  const reason = `Paused by ${caller.user.name}`;
  // The pause and its webhook event commit together.
  const paused = await db.transaction(async (tx) => {
    const changed = await setSenderAccountStatus(tx, workspace.workspaceId, account.id, {
      from: PAUSABLE_STATUSES,
      to: "paused",
      reason,
      at: engineNow(),
    });
    if (changed) {
      await recordOutboxEvents(tx, [
        {
          workspaceId: workspace.workspaceId,
          type: "account.paused",
          payload: { accountId: account.id, accountName: account.name, status: "paused", reason },
          occurredAt: new Date(),
        },
      ]);
    }
    return changed;
  });
  if (!paused) {
    throw conflict(`This account is ${describeStatus(account.status)}: it cannot be paused now.`);
  }
  return { id: account.id, status: "paused" };
}
