import "server-only";

import type { z } from "zod";
import { findAccount, setAccountPool } from "@/db/queries/pools";
import { notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { type poolAccountInput, requirePool } from "./pool-shared";

/** The account draws its InMail credits on this pool from now on (leaving any other pool). */
export async function assignAccount(caller: Caller, input: z.infer<typeof poolAccountInput>) {
  const pool = await requirePool(caller, input.poolId);
  const account = await findAccount(caller.db, caller.workspace.workspaceId, input.accountId);
  if (!account) throw notFound("Sender account");
  await setAccountPool(caller.db, caller.workspace.workspaceId, account.id, pool.id);
  return { accountId: account.id, poolId: pool.id };
}
