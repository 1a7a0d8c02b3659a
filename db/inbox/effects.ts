import "server-only";

import { type SQL, sql } from "drizzle-orm";
import { type Database, queryRows, type Transaction } from "../client";
import { releaseBookedPlaces } from "../engine/bookings";
import { addToBlocklist } from "../queries/leads";

type Executor = Transaction | Database;

/**
 * Ends the active enrollments `ids` selects, `done` with an outcome, as the engine would:
 * their places under full caps go back, their leases are dropped (a worker holding one finds
 * it lost and writes nothing), and the history says why.
 */
export async function endEnrollments(
  tx: Executor,
  ids: SQL,
  end: { outcome: string; reason: string; at: Date },
): Promise<string[]> {
  await releaseBookedPlaces(tx, ids);
  const at = end.at.toISOString();
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`with ended as (
          update enrollment e
             set state = 'done', outcome = ${end.outcome}, reason = ${end.reason},
                 lease_owner = null, lease_expires_at = null, updated_at = ${at}::timestamptz
           where e.id in (${ids}) and e.state = 'active'
          returning e.id, e.workspace_id, e.node_id, e.branch)
        insert into enrollment_step (workspace_id, enrollment_id, at, node_id, exit, to_node_id,
                                     branch, note)
        select workspace_id, id, ${at}::timestamptz, node_id, null, null, branch, ${end.reason}
          from ended
        returning enrollment_id as id`,
  );
  return rows.map((r) => r.id);
}

/**
 * An out-of-office reply: in campaigns that count it as a reply (and stop on reply) the lead
 * stops there; elsewhere its sequence sleeps until the return date, or the campaign's number
 * of days when the reply gives none, and then goes on where it was.
 */
export async function pauseForOutOfOffice(
  db: Database,
  input: { accountId: string; leadId: string; returnDate: string | null; at: Date },
): Promise<{ stopped: number; paused: number }> {
  const at = input.at.toISOString();
  const mine = (asReply: boolean) =>
    sql`select e.id from enrollment e join campaign c on c.id = e.campaign_id
         where e.lead_id = ${input.leadId} and e.account_id = ${input.accountId}
           and e.state = 'active'
           and ${asReply ? sql`c.out_of_office_as_reply and c.stop_on_reply` : sql`not (c.out_of_office_as_reply and c.stop_on_reply)`}`;
  return db.transaction(async (tx) => {
    const stopped = await endEnrollments(tx, mine(true), {
      outcome: "replied",
      reason: "out of office (counted as a reply)",
      at: input.at,
    });
    const toPause = mine(false);
    await releaseBookedPlaces(tx, toPause);
    const paused = await queryRows<{ id: string }>(
      tx,
      sql`update enrollment e
             set next_run_at = greatest(e.next_run_at, coalesce(
                   ${input.returnDate}::date::timestamptz,
                   ${at}::timestamptz + c.out_of_office_pause_days * interval '1 day')),
                 lease_owner = null, lease_expires_at = null, updated_at = ${at}::timestamptz
            from campaign c
           where c.id = e.campaign_id and e.id in (${toPause})
          returning e.id`,
    );
    return { stopped: stopped.length, paused: paused.length };
  });
}

/**
 * `unsubscribe`: every campaign of the workspace stops for the person (`done`, outcome
 * `unsubscribed`: their own doing, not an error), and they go on the workspace blocklist so
 * that no campaign takes them again.
 */
export async function blocklistForUnsubscribe(
  db: Database,
  workspaceId: string,
  publicIdentifier: string,
  at: Date,
): Promise<void> {
  await db.transaction((tx) =>
    endEnrollments(
      tx,
      sql`select e.id from enrollment e join lead l on l.id = e.lead_id
           where e.workspace_id = ${workspaceId} and e.state = 'active'
             and l.workspace_id = ${workspaceId} and l.public_identifier = ${publicIdentifier}`,
      { outcome: "unsubscribed", reason: "asked to stop", at },
    ),
  );
  await addToBlocklist(db, workspaceId, [{ publicIdentifier, reason: "Asked to stop" }], {
    at,
    note: "asked to stop (unsubscribe reply)",
  });
}
