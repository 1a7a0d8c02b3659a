-- How many leads each workspace holds, kept in lead_counter by statement-level triggers on lead,
-- in the transaction of the write, so the lead list's total needs no count over the leads. Each
-- connection adds to its own shard (its backend pid); compaction folds them into shard 0. A
-- workspace being deleted takes its counter rows with it (cascade): the join on organization
-- keeps the triggers of that cascade from writing new ones.
CREATE TABLE "lead_counter" (
	"workspace_id" text NOT NULL,
	"shard" integer NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "lead_counter_workspace_id_shard_pk" PRIMARY KEY("workspace_id","shard")
);
--> statement-breakpoint
ALTER TABLE "lead_counter" ADD CONSTRAINT "lead_counter_workspace_id_organization_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE FUNCTION outflow_count_leads() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
  INSERT INTO lead_counter AS c (workspace_id, shard, n)
  SELECT t.workspace_id, pg_backend_pid(), t.n
    FROM (SELECT r.workspace_id,
                 count(*) * CASE WHEN TG_OP = 'DELETE' THEN -1 ELSE 1 END AS n
            FROM changed_rows r
           GROUP BY r.workspace_id) t
    JOIN organization o ON o.id = t.workspace_id
   ORDER BY 1
  ON CONFLICT (workspace_id, shard) DO UPDATE SET n = c.n + excluded.n;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER lead_counted_insert AFTER INSERT ON lead
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION outflow_count_leads();
--> statement-breakpoint
CREATE TRIGGER lead_counted_delete AFTER DELETE ON lead
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION outflow_count_leads();
--> statement-breakpoint
-- Existing leads: counted once from what the table holds.
INSERT INTO lead_counter (workspace_id, shard, n)
SELECT workspace_id, 0, count(*) FROM lead GROUP BY workspace_id;
--> statement-breakpoint
-- A lead's actions in time order: the lead list reads each lead's latest as one index entry
-- (and its row) instead of every action of the lead.
DROP INDEX "action_lead_idx";--> statement-breakpoint
CREATE INDEX "action_lead_idx" ON "action" USING btree ("lead_id","created_at");