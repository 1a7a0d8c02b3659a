import "server-only";

import type { z } from "zod";
import { findAccount, setAccountPool } from "@/db/queries/pools";
import { conflict, notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { type poolAccountInput, requirePool } from "./pool-shared";

/** The account stops drawing on this pool: its InMails then take no credit from a pool here. */
export async function unassignAccount(caller: Caller, input: z.infer<typeof poolAccountInput>) {
  const pool = await requirePool(caller, input.poolId);
  const account = await findAccount(caller.db, caller.workspace.workspaceId, input.accountId);
  if (!account) throw notFound("Sender account");
  if (account.creditPoolId !== pool.id) {
    throw conflict(`${account.name} does not draw on ${pool.name}.`, "not_in_pool");
  }
  await setAccountPool(caller.db, caller.workspace.workspaceId, account.id, null);
  return { accountId: account.id, poolId: null };
}
