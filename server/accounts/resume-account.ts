import "server-only";

import type { z } from "zod";
import { findSenderAccount, setSenderAccountStatus } from "@/db/queries/accounts";
import { conflict, notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import type { accountIdInput } from "./account-shared";
import { describeStatus } from "./describe-account-state";

export async function resumeAccount(caller: Caller, input: z.infer<typeof accountIdInput>) {
  const { db, workspace } = caller;
  const account = await findSenderAccount(db, workspace.workspaceId, input.accountId);
  if (!account) throw notFound("Sender account");
  if (account.status === "active") return { id: account.id, status: "active" };
  // Only a pause is lifted here: a restriction or a lost connection needs fixing on LinkedIn's
  // side first, and a cool-down ends by itself.
  const resumed = await setSenderAccountStatus(db, workspace.workspaceId, account.id, {
    from: ["paused"],
    to: "active",
    reason: null,
  });
  if (!resumed) {
    throw conflict(`This account is ${describeStatus(account.status)}: it cannot be resumed here.`);
  }
  return { id: account.id, status: "active" };
}
