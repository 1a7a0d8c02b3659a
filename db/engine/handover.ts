/**
 * Seat rotation in the database: the leads an unhealthy seat has not contacted move to the
 * healthy seat of their campaign with the most room (workflows/engine/rotation.ts decides).
 * One transaction per campaign: the unhealthy seats are locked first (the flush's order:
 * accounts, then enrollments), then the leads to move, skipping any a worker has locked; a
 * lead with a live lease, or that the seat ever sent anything (an unresolved intent included)
 * or heard from, stays.
 */
import "server-only";

import { type SQL, sql } from "drizzle-orm";
import { PacingSettingsSchema } from "@/workflows/engine/pacing/settings";
import type { SeatMove } from "@/workflows/engine/ports";
import {
  firstSendKind,
  handoverReason,
  planHandover,
  type RotationSeat,
  seatHealthOf,
  seatMoveNote,
} from "@/workflows/engine/rotation";
import type { AnyGraph } from "@/workflows/graph/index";
import { type Database, json, queryRows, type Transaction } from "../client";
import { releaseBookedPlaces } from "./bookings";

/** The statuses that may hand leads over (a pause only once it has lasted long enough). */
const UNHEALTHY = sql`('restricted', 'needs_reconnect', 'stopped', 'paused')`;

interface SeatRow {
  id: string;
  name: string;
  status: string;
  paused_at: string | Date | null;
  pacing: unknown;
}

function rotationSeat(row: SeatRow, queued: number): RotationSeat {
  return {
    accountId: row.id,
    pacing: PacingSettingsSchema.parse(row.pacing),
    health: seatHealthOf(row.status, row.paused_at === null ? null : new Date(row.paused_at)),
    queued,
  };
}

function byName(a: { name: string; id: string }, b: { name: string; id: string }) {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Whether the seat ever reached the lead: an action sent or still an intent, an event from the
 * lead, or a conversation between them. `e` is an enrollment row.
 */
export function contactedSql(e: SQL): SQL {
  return sql`(exists (select 1 from action x
                       where x.lead_id = ${e}.lead_id and x.account_id = ${e}.account_id
                         and x.status in ('sent', 'intent'))
          or exists (select 1 from inbound_event i
                      where i.lead_id = ${e}.lead_id and i.account_id = ${e}.account_id)
          or exists (select 1 from conversation v
                      where v.lead_id = ${e}.lead_id and v.account_id = ${e}.account_id))`;
}

/**
 * The campaign's seats, listed by name, each with its queue: the campaign's active leads on it
 * that it has sent nothing yet. Their rotation view and the campaign's first send kind.
 */
export async function campaignSeats(
  db: Database | Transaction,
  workspaceId: string,
  campaignId: string,
): Promise<Array<SeatRow & { queued: number }>> {
  const rows = await queryRows<SeatRow & { queued: number }>(
    db,
    sql`select a.id, a.name, a.status, a.paused_at, a.pacing,
               (select count(*)::int from enrollment e
                 where e.workspace_id = ${workspaceId} and e.campaign_id = ${campaignId}
                   and e.account_id = a.id and e.state = 'active'
                   and not exists (select 1 from action x
                                    where x.enrollment_id = e.id
                                      and x.status in ('sent', 'intent'))) as queued
          from campaign_account ca
          join sender_account a on a.id = ca.account_id and a.workspace_id = ${workspaceId}
         where ca.campaign_id = ${campaignId} and ca.workspace_id = ${workspaceId}`,
  );
  return rows.sort(byName);
}

export function rotationSeats(rows: Array<SeatRow & { queued: number }>): RotationSeat[] {
  return rows.map((row) => rotationSeat(row, row.queued));
}

/** Moves every lead that should leave an unhealthy seat, campaign by campaign. */
export async function handOverLeads(db: Database, now: Date): Promise<SeatMove[]> {
  const candidates = await queryRows<SeatRow & { campaign_id: string; workspace_id: string }>(
    db,
    sql`select ca.campaign_id, c.workspace_id, a.id, a.name, a.status, a.paused_at, a.pacing
          from sender_account a
          join campaign_account ca on ca.account_id = a.id
          join campaign c on c.id = ca.campaign_id and c.status = 'running'
         where a.status in ${UNHEALTHY}
           and exists (select 1 from campaign_account other
                        where other.campaign_id = ca.campaign_id and other.account_id <> a.id)`,
  );
  const campaigns = new Map<string, string>();
  for (const row of candidates) {
    const seat = rotationSeat(row, 0);
    if (handoverReason(seat.health, now, seat.pacing.safety.handoverAfterPausedHours) !== null)
      campaigns.set(row.campaign_id, row.workspace_id);
  }
  const moves: SeatMove[] = [];
  for (const [campaignId, workspaceId] of [...campaigns].sort()) {
    moves.push(
      ...(await db.transaction((tx) => handOverCampaign(tx, workspaceId, campaignId, now))),
    );
  }
  return moves;
}

async function handOverCampaign(
  tx: Transaction,
  workspaceId: string,
  campaignId: string,
  now: Date,
): Promise<SeatMove[]> {
  const at = now.toISOString();
  // The seats first, in id order, as a flush locks them: their status is then settled.
  await tx.execute(
    sql`select a.id from sender_account a
          join campaign_account ca on ca.account_id = a.id and ca.campaign_id = ${campaignId}
         where a.status in ${UNHEALTHY}
         order by a.id for update of a`,
  );
  const rows = await campaignSeats(tx, workspaceId, campaignId);
  const seats = rotationSeats(rows);
  const leaving = seats.filter(
    (s) => handoverReason(s.health, now, s.pacing.safety.handoverAfterPausedHours) !== null,
  );
  if (leaving.length === 0 || leaving.length === seats.length) return [];
  const [version] = await queryRows<{ graph: AnyGraph }>(
    tx,
    sql`select v.graph from campaign c join workflow_version v on v.id = c.live_version_id
         where c.id = ${campaignId} and c.workspace_id = ${workspaceId}`,
  );
  if (!version) return [];
  // The leads no worker holds, locked; then, in a statement of its own (it sees what committed
  // while it waited), which of them the seat already reached.
  const leads = await queryRows<{ id: string; lead_id: string; account_id: string }>(
    tx,
    sql`select e.id, e.lead_id, e.account_id from enrollment e
         where e.workspace_id = ${workspaceId} and e.campaign_id = ${campaignId}
           and e.state = 'active'
           and e.account_id in (select jsonb_array_elements_text(${json(leaving.map((s) => s.accountId))}))
           and (e.lease_expires_at is null or e.lease_expires_at < ${at}::timestamptz)
         order by e.queue_key, e.id
         for update skip locked`,
  );
  if (leads.length === 0) return [];
  const reached = await queryRows<{ id: string }>(
    tx,
    sql`select e.id from enrollment e
         where e.id in (select jsonb_array_elements_text(${json(leads.map((l) => l.id))}))
           and ${contactedSql(sql`e`)}`,
  );
  const contacted = new Set(reached.map((r) => r.id));
  const enrollmentOf = new Map(leads.map((l) => [l.lead_id, l.id]));
  const plan = planHandover(
    seats,
    leads.map((l) => ({
      leadId: l.lead_id,
      accountId: l.account_id,
      contacted: contacted.has(l.id),
    })),
    { kind: firstSendKind(version.graph), now },
  );
  if (plan.moves.length === 0) return [];
  const name = new Map(rows.map((r) => [r.id, r.name]));
  const moves: SeatMove[] = plan.moves.map((m) => ({
    enrollmentId: enrollmentOf.get(m.leadId) as string,
    campaignId,
    leadId: m.leadId,
    from: m.from,
    to: m.to,
    note: seatMoveNote(name.get(m.from) ?? "", name.get(m.to) ?? "", m.reason),
  }));
  const ids = json(moves.map((m) => m.enrollmentId));
  // A place a full cap promised on the old seat goes back; so does its slot and queue place.
  await releaseBookedPlaces(tx, sql`select jsonb_array_elements_text(${ids})`);
  await tx.execute(
    sql`with m as (
          select * from jsonb_to_recordset(${json(
            moves.map((m) => ({ id: m.enrollmentId, account_id: m.to, note: m.note })),
          )}) as m(id text, account_id text, note text)
        ), moved as (
          update enrollment e
             set account_id = m.account_id,
                 step_state = e.step_state - 'sendAt' - 'queuePriority' - 'queueTag',
                 next_run_at = ${at}::timestamptz, updated_at = ${at}::timestamptz,
                 lease_owner = null, lease_expires_at = null
            from m where e.id = m.id
          returning e.id, e.workspace_id, e.node_id, e.branch, m.note)
        insert into enrollment_step
               (workspace_id, enrollment_id, at, node_id, exit, to_node_id, branch, note)
        select workspace_id, id, ${at}::timestamptz, node_id, null, node_id, branch, note
          from moved`,
  );
  return moves;
}
