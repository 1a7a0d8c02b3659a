import "server-only";

import { z } from "zod";
import { accountsOfWorkspace, campaignEntriesOfPool, deletePoolRow } from "@/db/queries/pools";
import { conflict } from "../http/errors";
import type { Caller } from "../http/guard";
import { id, requirePool } from "./pool-shared";

export const poolIdInput = z.object({ poolId: id });

/** Deletes a pool set up by mistake: one with no seats and no campaign spend in its ledger. */
export async function deletePool(caller: Caller, input: z.infer<typeof poolIdInput>) {
  const { db, workspace } = caller;
  const pool = await requirePool(caller, input.poolId);
  const seats = (await accountsOfWorkspace(db, workspace.workspaceId)).filter(
    (account) => account.poolId === pool.id,
  );
  if (seats.length > 0) {
    throw conflict(
      `${seats.map((s) => s.name).join(", ")} still draw${seats.length === 1 ? "s" : ""} on ${pool.name}: move ${seats.length === 1 ? "it" : "them"} to another pool first.`,
      "pool_in_use",
    );
  }
  if ((await campaignEntriesOfPool(db, workspace.workspaceId, pool.id)) > 0) {
    throw conflict(
      `${pool.name}'s ledger records campaign spend that the budget panels show: it is kept.`,
      "pool_has_history",
    );
  }
  await deletePoolRow(db, workspace.workspaceId, pool.id);
  return { id: pool.id };
}
