import "server-only";

import { type SQL, sql } from "drizzle-orm";
import { type Database, inList, queryRows, type Transaction } from "../client";

/**
 * Gives back the places a full cap promised to these enrollments (`usage_counter.booked`) and
 * drops the promise from their step, for a lead that leaves its step other than through the
 * engine: removed, blocklisted, moved or ended at publish. Without it the place stays taken on
 * that date and another lead is turned away for nothing. `ids` selects enrollment ids; call it
 * in the same transaction, before the update that takes the leads off their step. Locks are
 * taken in the engine's order: the enrollments, then their accounts in id order, then counters.
 */
export async function releaseBookedPlaces(tx: Transaction | Database, ids: SQL): Promise<number> {
  const booked = await queryRows<{ account_id: string }>(
    tx,
    sql`select account_id from enrollment
         where id in (${ids}) and step_state->>'bookedDate' is not null
         order by id for update`,
  );
  if (booked.length === 0) return 0;
  await tx.execute(
    sql`select id from sender_account
         where id in ${inList(new Set(booked.map((b) => b.account_id)))}
         order by id for update`,
  );
  const [row] = await queryRows<{ n: number }>(
    tx,
    sql`with held as (
          select id, account_id, (step_state->>'bookedDate')::date as local_date,
                 coalesce(step_state->>'bookedKind', '') as kind
            from enrollment
           where id in (${ids}) and step_state->>'bookedDate' is not null
        ), released as (
          select account_id, local_date, k.kind, count(*)::int as n
            from held cross join lateral (values (held.kind), ('total')) as k(kind)
           group by account_id, local_date, k.kind
        ), unbooked as (
          update usage_counter u set booked = greatest(u.booked - released.n, 0)
            from released
           where u.account_id = released.account_id and u.local_date = released.local_date
             and u.kind = released.kind
        ), forgotten as (
          update enrollment e set step_state = e.step_state - 'bookedDate' - 'bookedKind'
            from held where e.id = held.id
        )
        select count(*)::int as n from held`,
  );
  return row?.n ?? 0;
}
