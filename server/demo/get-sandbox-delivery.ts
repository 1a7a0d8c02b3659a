import "server-only";

import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows } from "@/db/client";
import type { Caller } from "../http/guard";

export const sandboxDeliveryInput = z.object({ campaignId: z.string().min(1).max(100) });

export interface SandboxDelivery {
  /** Actions the campaign's sandbox seats sent, as the engine recorded them. */
  sent: number;
  /** What the sandbox LinkedIn itself recorded receiving for those actions. */
  received: number;
  /** Sends the sandbox received more than once (the same step of the same lead). */
  duplicates: number;
}

/**
 * For a campaign sending from sandbox seats: what the engine says it sent against what the
 * sandbox's own record (sandbox_received) says arrived, and whether anything arrived twice.
 * Null when none of the campaign's seats is a sandbox seat.
 */
export async function sandboxDelivery(
  caller: Caller,
  input: z.infer<typeof sandboxDeliveryInput>,
): Promise<SandboxDelivery | null> {
  const ws = caller.workspace.workspaceId;
  const [seats] = await queryRows<{ n: number }>(
    caller.db,
    sql`select count(*)::int as n from campaign_account ca
          join sender_account s on s.id = ca.account_id and s.workspace_id = ${ws}
         where ca.workspace_id = ${ws} and ca.campaign_id = ${input.campaignId}
           and s.provider = 'sandbox'`,
  );
  if (!seats || seats.n === 0) return null;
  const [row] = await queryRows<{ sent: number; received: number; duplicates: number }>(
    caller.db,
    sql`with ours as (
          select a.idempotency_key, a.status from action a
            join sender_account s on s.id = a.account_id and s.workspace_id = ${ws}
           where a.workspace_id = ${ws} and a.campaign_id = ${input.campaignId}
             and s.provider = 'sandbox'
        ), got as (
          select r.idempotency_key from sandbox_received r
            join ours on ours.idempotency_key = r.idempotency_key
        ), steps as (
          -- Attempts of one step share the key up to the attempt number.
          select count(*) as n from got
           group by regexp_replace(idempotency_key, ':[^:]*$', '')
        )
        select (select count(*) from ours where status = 'sent')::int as sent,
               (select count(*) from got)::int as received,
               (select coalesce(sum(n - 1), 0) from steps)::int as duplicates`,
  );
  return {
    sent: row?.sent ?? 0,
    received: row?.received ?? 0,
    duplicates: row?.duplicates ?? 0,
  };
}
