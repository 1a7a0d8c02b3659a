CREATE TABLE "pool_day_balance" (
	"workspace_id" text NOT NULL,
	"pool_id" text NOT NULL,
	"day" date NOT NULL,
	"delta" integer NOT NULL,
	"entries" integer NOT NULL,
	CONSTRAINT "pool_day_balance_pool_id_day_pk" PRIMARY KEY("pool_id","day")
);
--> statement-breakpoint
ALTER TABLE "pool_day_balance" ADD CONSTRAINT "pool_day_balance_workspace_id_organization_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pool_day_balance" ADD CONSTRAINT "pool_day_balance_pool_id_credit_pool_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."credit_pool"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- What a ledger entry adds to its pool's balance: balanceDeltaSql (db/queries/credits.ts, from
-- BALANCE_SIGN in workflows/credits/ledger.ts) in the one place the triggers and the backfill
-- below read it. A forfeit moves nothing; an adjustment carries its own sign.
CREATE FUNCTION outflow_credit_balance_delta(entry_type text, entry_amount integer)
  RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN entry_type IN ('grant', 'refund', 'purchase', 'adjustment') THEN entry_amount
              WHEN entry_type = 'spend' THEN -entry_amount
              ELSE 0 END
$$;
--> statement-breakpoint
-- Each pool's balance moves per UTC day, kept in pool_day_balance by statement-level triggers on
-- credit_ledger, in the transaction of the write, so the Credits page's history reads one row
-- per day instead of summing the whole ledger. Rows are taken in (pool, day) order, so writers
-- to the same pool wait for each other, never deadlock (every path that writes the ledger holds
-- the pool's row lock already). Deletes only lower existing rows and remove the days left with
-- no entries: they never insert, so the cascade of a pool or workspace being deleted (whichever
-- of its tables goes first) writes nothing back.
CREATE FUNCTION outflow_pool_day_balance() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO pool_day_balance AS d (workspace_id, pool_id, day, delta, entries)
    SELECT p.workspace_id, t.pool_id, t.day, t.delta, t.entries
      FROM (SELECT r.pool_id, (r.at AT TIME ZONE 'UTC')::date AS day,
                   sum(outflow_credit_balance_delta(r.type, r.amount))::int AS delta,
                   count(*)::int AS entries
              FROM changed_rows r
             GROUP BY 1, 2) t
      JOIN credit_pool p ON p.id = t.pool_id
     ORDER BY t.pool_id, t.day
    ON CONFLICT (pool_id, day)
      DO UPDATE SET delta = d.delta + excluded.delta, entries = d.entries + excluded.entries;
  ELSE
    PERFORM 1 FROM pool_day_balance d
      WHERE (d.pool_id, d.day) IN (SELECT r.pool_id, (r.at AT TIME ZONE 'UTC')::date
                                     FROM changed_rows r)
      ORDER BY d.pool_id, d.day FOR UPDATE;
    UPDATE pool_day_balance d SET delta = d.delta - t.delta, entries = d.entries - t.entries
      FROM (SELECT r.pool_id, (r.at AT TIME ZONE 'UTC')::date AS day,
                   sum(outflow_credit_balance_delta(r.type, r.amount))::int AS delta,
                   count(*)::int AS entries
              FROM changed_rows r
             GROUP BY 1, 2) t
     WHERE d.pool_id = t.pool_id AND d.day = t.day;
    DELETE FROM pool_day_balance d
     WHERE d.entries <= 0
       AND (d.pool_id, d.day) IN (SELECT r.pool_id, (r.at AT TIME ZONE 'UTC')::date
                                    FROM changed_rows r);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER credit_ledger_day_balance_insert AFTER INSERT ON credit_ledger
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT
  EXECUTE FUNCTION outflow_pool_day_balance();
--> statement-breakpoint
CREATE TRIGGER credit_ledger_day_balance_delete AFTER DELETE ON credit_ledger
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT
  EXECUTE FUNCTION outflow_pool_day_balance();
--> statement-breakpoint
-- Existing ledgers: summed once from what the table holds (the migration's transaction keeps
-- writers out between the triggers' creation and this).
INSERT INTO pool_day_balance (workspace_id, pool_id, day, delta, entries)
SELECT p.workspace_id, t.pool_id, t.day, t.delta, t.entries
  FROM (SELECT pool_id, (at AT TIME ZONE 'UTC')::date AS day,
               sum(outflow_credit_balance_delta(type, amount))::int AS delta,
               count(*)::int AS entries
          FROM credit_ledger
         GROUP BY 1, 2) t
  JOIN credit_pool p ON p.id = t.pool_id;
