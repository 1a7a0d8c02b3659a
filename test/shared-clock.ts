// The virtual clock several engine processes share in a PostgreSQL test (the table sim_clock).
// A worker reads the clock and steps what is due at that instant in a turn; the clock moves only
// between turns, when no worker is in one. Turns hold a shared advisory lock on a connection of
// their own, the move takes it exclusively, so the clock can never pass a lease a worker took
// at the instant it read: a claim made at an older instant than the clock's would hold a lease
// already over, and another worker would take the lead over and reconcile a send still on its
// way (the one being sent would then go out a second time under a new key).
import { sql } from "drizzle-orm";
import pg from "pg";
import { type DatabaseHandle, queryRows } from "@/db/client";
import { nextWakeUp } from "@/db/engine/simulation";

/** The advisory lock of the turns (any key: the test's database is its own). */
export const CLOCK_TURN_LOCK = 0x5c10c4;

export async function createSharedClockTable(handle: DatabaseHandle, start: Date) {
  await handle.db.execute(sql`create table sim_clock (now timestamptz not null)`);
  await handle.db.execute(sql`insert into sim_clock values (${start.toISOString()})`);
}

export async function readSharedClock(handle: DatabaseHandle): Promise<Date> {
  const [row] = await queryRows<{ now: string | Date }>(handle.db, sql`select now from sim_clock`);
  return new Date(row!.now);
}

export class SharedClock {
  private constructor(
    private readonly handle: DatabaseHandle,
    private readonly turns: pg.Client,
  ) {}

  /** `url` opens the connection the turns are held on (a pool could drop it while idle). */
  static async open(handle: DatabaseHandle, url: string): Promise<SharedClock> {
    const turns = new pg.Client({ connectionString: url });
    await turns.connect();
    return new SharedClock(handle, turns);
  }

  async close() {
    await this.turns.end();
  }

  /**
   * Runs `work` at the clock's instant, read inside the turn; the clock stays there until
   * `work` is over (its claims stepped and their leases given back).
   */
  async turn<T>(work: (now: Date) => Promise<T>): Promise<T> {
    await this.turns.query("select pg_advisory_lock_shared($1)", [CLOCK_TURN_LOCK]);
    try {
      return await work(await readSharedClock(this.handle));
    } finally {
      await this.turns.query("select pg_advisory_unlock_shared($1)", [CLOCK_TURN_LOCK]);
    }
  }

  /**
   * Moves the clock to the next instant work is due, once no worker is in a turn: `end` when
   * nothing is due before `end`, `moved` otherwise. With `wait`, it waits for the turns under
   * way to end (new ones wait behind it, so it is not starved); without, it answers `busy`
   * while a worker is in a turn.
   */
  async advance(end: Date, { wait = false } = {}): Promise<"busy" | "end" | "moved"> {
    if (wait) {
      await this.turns.query("select pg_advisory_lock($1)", [CLOCK_TURN_LOCK]);
    } else {
      const [row] = (
        await this.turns.query<{ locked: boolean }>("select pg_try_advisory_lock($1) as locked", [
          CLOCK_TURN_LOCK,
        ])
      ).rows;
      if (!row?.locked) return "busy";
    }
    try {
      const now = await readSharedClock(this.handle);
      const next = await nextWakeUp(this.handle, now);
      if (!next || next.getTime() > end.getTime()) return "end";
      const to = new Date(Math.max(next.getTime(), now.getTime() + 1));
      await this.handle.db.execute(
        sql`update sim_clock set now = greatest(now, ${to.toISOString()}::timestamptz)`,
      );
      return "moved";
    } finally {
      await this.turns.query("select pg_advisory_unlock($1)", [CLOCK_TURN_LOCK]);
    }
  }
}
