import "server-only";

import { listSenderAccounts, usageOfAccounts } from "@/db/queries/accounts";
import type { SenderAccountView } from "@/views/accounts";
import { localDate, rollingWindowDates } from "@/workflows/engine/pacing/index";
import type { Caller } from "../http/guard";
import { engineNow } from "../runtime/boot";
import { pacingOf, usageOf, viewOf } from "./account-view";

/** The workspace's sender accounts with today's usage against the caps in force. */
export async function listAccounts(
  caller: Caller,
  now: Date = engineNow(),
): Promise<{ accounts: SenderAccountView[] }> {
  const { db, workspace } = caller;
  const rows = await listSenderAccounts(db, workspace.workspaceId);
  const todayOf = new Map<string, string>();
  const datesByAccount = new Map<string, string[]>();
  for (const row of rows) {
    const pacing = pacingOf(row);
    if (!pacing) continue;
    const today = localDate(now, pacing.timeZone);
    todayOf.set(row.id, today);
    datesByAccount.set(row.id, [...rollingWindowDates(today)]);
  }
  const usageRows = await usageOfAccounts(db, workspace.workspaceId, datesByAccount);
  const accounts = rows.map((row) => {
    const pacing = pacingOf(row);
    const today = todayOf.get(row.id);
    return viewOf(row, pacing, pacing && today ? usageOf(row.id, pacing, today, usageRows) : null);
  });
  return { accounts };
}
