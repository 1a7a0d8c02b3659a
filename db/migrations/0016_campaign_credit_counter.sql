-- The credits each campaign used, kept in campaign_counter (metric 'credits') by statement-level
-- triggers on credit_ledger, in the transaction of the write, instead of a sum over the ledger at
-- each read. A row counts as in creditsUsedSql: tied to an action, spend +amount, refund and
-- adjustment -amount, anything else 0. The ledger is only appended to; rows leave it with their
-- pool (cascade), and then stop counting.
CREATE FUNCTION outflow_count_credits() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
  INSERT INTO campaign_counter AS c (workspace_id, campaign_id, metric, key, shard, n)
  SELECT t.workspace_id, t.campaign_id, 'credits', '', pg_backend_pid(), t.n
    FROM (SELECT r.workspace_id, r.campaign_id,
                 sum(CASE WHEN r.action_id IS NULL THEN 0
                          WHEN r.type = 'spend' THEN r.amount
                          WHEN r.type IN ('refund', 'adjustment') THEN -r.amount
                          ELSE 0 END
                     * CASE WHEN TG_OP = 'DELETE' THEN -1 ELSE 1 END) AS n
            FROM changed_rows r
           WHERE r.campaign_id IS NOT NULL
           GROUP BY r.workspace_id, r.campaign_id) t
    JOIN campaign k ON k.id = t.campaign_id
   WHERE t.n <> 0
   ORDER BY 2
  ON CONFLICT (campaign_id, metric, key, shard) DO UPDATE SET n = c.n + excluded.n;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER credit_ledger_counted_insert AFTER INSERT ON credit_ledger
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION outflow_count_credits();
--> statement-breakpoint
CREATE TRIGGER credit_ledger_counted_delete AFTER DELETE ON credit_ledger
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION outflow_count_credits();
--> statement-breakpoint
-- Existing ledgers: counted once from what the table holds.
INSERT INTO campaign_counter (workspace_id, campaign_id, metric, key, shard, n)
SELECT t.workspace_id, t.campaign_id, 'credits', '', 0, t.n
  FROM (SELECT workspace_id, campaign_id,
               sum(CASE WHEN action_id IS NULL THEN 0
                        WHEN type = 'spend' THEN amount
                        WHEN type IN ('refund', 'adjustment') THEN -amount
                        ELSE 0 END) AS n
          FROM credit_ledger WHERE campaign_id IS NOT NULL
         GROUP BY workspace_id, campaign_id) t
  JOIN campaign k ON k.id = t.campaign_id
 WHERE t.n <> 0;
