-- The dashboard's counters (campaign_counter, enrollment_tally), kept by statement-level
-- triggers in the transaction of every write to enrollment, enrollment_step, action and
-- inbound_event. Each statement adds one aggregated upsert per counter kind; rows go to the
-- connection's own shard (its backend pid), so concurrent transactions never wait on each other
-- for a counter row. Keys join their parts with chr(31). Events join enrollments by lead alone
-- (a lead belongs to one workspace): the planner, before statistics, would rather intersect the
-- lead index with a workspace-wide one.

-- What the given enrollments count for in the funnel and the A/B tables, worked out again from
-- their actions and events and applied as the difference with what they counted for before.
-- The enrollment rows are locked first (in id order): two transactions changing what one lead
-- counts for take turns, and the second reads what the first committed.
-- Planned afresh at each call (force_custom_plan): a plan kept from a call made while a table
-- was still empty would scan it whole for every lead once it is not. No JIT: compiling the
-- statement costs seconds, running it milliseconds.
CREATE FUNCTION outflow_tally_refresh(ids text[]) RETURNS void LANGUAGE plpgsql
SET plan_cache_mode = force_custom_plan SET jit = off AS $$
BEGIN
  IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
  -- The ids are joined (unnest), never tested with = ANY: a long array in a parameter is
  -- searched row by row.
  PERFORM 1 FROM (SELECT e.id FROM unnest(ids) AS u(id) JOIN enrollment e ON e.id = u.id
                   ORDER BY e.id FOR UPDATE OF e) locked;
  -- Each lead's figures come from its own rows through their indexes (lateral subqueries): a
  -- statement may touch a hundred thousand leads, and nothing here joins two of its results.
  WITH fresh AS (
    SELECT e.id, e.campaign_id,
           (CASE WHEN s.visited THEN 1 ELSE 0 END)
           | (CASE WHEN s.invited_at IS NOT NULL THEN 2 ELSE 0 END)
           | (CASE WHEN ev.last_accepted >= s.invited_at THEN 4 ELSE 0 END)
           | (CASE WHEN s.messaged_at IS NOT NULL THEN 8 ELSE 0 END)
           | (CASE WHEN s.texted_at IS NOT NULL THEN 16 ELSE 0 END)
           | (CASE WHEN ev.last_replied >= s.texted_at THEN 32 ELSE 0 END) AS funnel,
           coalesce(vt.variants, '{}'::text[]) AS variants
      FROM unnest(ids) AS u(id)
      JOIN enrollment e ON e.id = u.id
      CROSS JOIN LATERAL (
        SELECT coalesce(bool_or(a.kind = 'visit' AND a.status = 'sent'), false) AS visited,
               min(a.sent_at) FILTER (WHERE a.kind = 'connect' AND a.status = 'sent') AS invited_at,
               min(a.sent_at) FILTER (WHERE a.kind IN ('message', 'inmail') AND a.status = 'sent')
                 AS messaged_at,
               min(a.sent_at) FILTER (WHERE a.has_text AND a.status = 'sent') AS texted_at
          FROM action a WHERE a.enrollment_id = e.id AND a.status <> 'intent') s
      CROSS JOIN LATERAL (
        SELECT max(x.occurred_at) FILTER (WHERE x.type = 'accepted') AS last_accepted,
               max(x.occurred_at) FILTER (WHERE x.type = 'replied') AS last_replied
          FROM inbound_event x
         WHERE x.lead_id = e.lead_id AND x.type IN ('accepted', 'replied')
           AND x.account_id = e.account_id) ev
      CROSS JOIN LATERAL (
        SELECT array_agg(vr.key || chr(31) || (1
                 + CASE WHEN vr.first_sent IS NOT NULL THEN 2 ELSE 0 END
                 + CASE WHEN vr.first_sent IS NOT NULL
                         AND (CASE WHEN vr.invitation THEN ev.last_accepted
                                   ELSE ev.last_replied END) >= vr.first_sent
                        THEN 4 ELSE 0 END)::text ORDER BY vr.key) AS variants
          FROM (SELECT a.node_id || chr(31) || a.variant AS key,
                       bool_or(a.kind = 'connect') AS invitation,
                       min(a.sent_at) FILTER (WHERE a.status = 'sent') AS first_sent
                  FROM action a
                 WHERE a.enrollment_id = e.id AND a.status <> 'intent' AND a.variant IS NOT NULL
                 GROUP BY a.node_id, a.variant) vr) vt
  ), old AS (
    SELECT t.enrollment_id AS id, t.campaign_id, t.funnel, t.variants
      FROM unnest(ids) AS u(id) JOIN enrollment_tally t ON t.enrollment_id = u.id
  ), stages(bit, stage) AS (
    VALUES (1, 'visited'), (2, 'invited'), (4, 'accepted'), (8, 'messaged'), (16, 'texted'),
           (32, 'replied')
  ), marks(bit, mark) AS (
    VALUES (1, 'drawn'), (2, 'sent'), (4, 'converted')
  ), contributions AS (
    SELECT t.campaign_id, 'funnel' AS metric, st.stage AS key, t.sign
      FROM (SELECT campaign_id, funnel, 1 AS sign FROM fresh
            UNION ALL SELECT campaign_id, funnel, -1 FROM old) t
      JOIN stages st ON t.funnel & st.bit <> 0
    UNION ALL
    SELECT t.campaign_id, 'variant',
           split_part(t.v, chr(31), 1) || chr(31) || split_part(t.v, chr(31), 2) || chr(31)
             || m.mark, t.sign
      FROM (SELECT campaign_id, unnest(variants) AS v, 1 AS sign FROM fresh
            UNION ALL SELECT campaign_id, unnest(variants), -1 FROM old) t
      JOIN marks m ON split_part(t.v, chr(31), 3)::int & m.bit <> 0
  ), counted AS (
    INSERT INTO campaign_counter AS c (workspace_id, campaign_id, metric, key, shard, n)
    SELECT k.workspace_id, t.campaign_id, t.metric, t.key, pg_backend_pid(), t.n
      FROM (SELECT campaign_id, metric, key, sum(sign) AS n FROM contributions
             GROUP BY campaign_id, metric, key HAVING sum(sign) <> 0) t
      JOIN campaign k ON k.id = t.campaign_id
     ORDER BY 2, 3, 4
    ON CONFLICT (campaign_id, metric, key, shard) DO UPDATE SET n = c.n + excluded.n
  ), gone AS (
    DELETE FROM enrollment_tally t USING unnest(ids) AS u(id)
     WHERE t.enrollment_id = u.id
       AND NOT EXISTS (SELECT 1 FROM enrollment e WHERE e.id = t.enrollment_id)
  )
  INSERT INTO enrollment_tally AS t (enrollment_id, campaign_id, funnel, variants)
  SELECT id, campaign_id, funnel, variants FROM fresh
   WHERE funnel <> 0 OR cardinality(variants) > 0
      OR EXISTS (SELECT 1 FROM enrollment_tally k WHERE k.enrollment_id = fresh.id)
  ON CONFLICT (enrollment_id) DO UPDATE SET funnel = excluded.funnel, variants = excluded.variants;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION outflow_count_enrollments() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO campaign_counter AS c (workspace_id, campaign_id, metric, key, shard, n)
    SELECT workspace_id, campaign_id, 'at', node_id || chr(31) || state, pg_backend_pid(), count(*)
      FROM new_rows GROUP BY workspace_id, campaign_id, node_id, state
     ORDER BY 2, 4
    ON CONFLICT (campaign_id, metric, key, shard) DO UPDATE SET n = c.n + excluded.n;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO campaign_counter AS c (workspace_id, campaign_id, metric, key, shard, n)
    SELECT workspace_id, campaign_id, 'at', key, pg_backend_pid(), sum(sign)
      FROM (SELECT n.workspace_id, n.campaign_id, n.node_id || chr(31) || n.state AS key, 1 AS sign
              FROM new_rows n JOIN old_rows o ON o.id = n.id
             WHERE (o.node_id, o.state) IS DISTINCT FROM (n.node_id, n.state)
            UNION ALL
            SELECT o.workspace_id, o.campaign_id, o.node_id || chr(31) || o.state, -1
              FROM new_rows n JOIN old_rows o ON o.id = n.id
             WHERE (o.node_id, o.state) IS DISTINCT FROM (n.node_id, n.state)) t
     GROUP BY workspace_id, campaign_id, key HAVING sum(sign) <> 0
     ORDER BY 2, 4
    ON CONFLICT (campaign_id, metric, key, shard) DO UPDATE SET n = c.n + excluded.n;
    -- Events count for the sender an enrollment has: a new sender changes what it counts for.
    PERFORM outflow_tally_refresh(array(
      SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
       WHERE o.account_id IS DISTINCT FROM n.account_id));
  ELSE
    INSERT INTO campaign_counter AS c (workspace_id, campaign_id, metric, key, shard, n)
    SELECT workspace_id, campaign_id, 'at', node_id || chr(31) || state, pg_backend_pid(), -count(*)
      FROM old_rows GROUP BY workspace_id, campaign_id, node_id, state
     ORDER BY 2, 4
    ON CONFLICT (campaign_id, metric, key, shard) DO UPDATE SET n = c.n + excluded.n;
    PERFORM outflow_tally_refresh(array(SELECT id FROM old_rows));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION outflow_count_steps() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
  INSERT INTO campaign_counter AS c (workspace_id, campaign_id, metric, key, shard, n)
  SELECT e.workspace_id, e.campaign_id, 'exit', s.node_id || chr(31) || s.exit, pg_backend_pid(),
         count(*)
    FROM new_rows s JOIN enrollment e ON e.id = s.enrollment_id
   WHERE s.exit IS NOT NULL
   GROUP BY e.workspace_id, e.campaign_id, s.node_id, s.exit
   ORDER BY 2, 4
  ON CONFLICT (campaign_id, metric, key, shard) DO UPDATE SET n = c.n + excluded.n;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION outflow_count_actions() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO campaign_counter AS c (workspace_id, campaign_id, metric, key, shard, n)
    SELECT workspace_id, campaign_id, 'sent', local_date::text || chr(31) || kind,
           pg_backend_pid(), count(*)
      FROM new_rows WHERE status = 'sent'
     GROUP BY workspace_id, campaign_id, local_date, kind
     ORDER BY 2, 4
    ON CONFLICT (campaign_id, metric, key, shard) DO UPDATE SET n = c.n + excluded.n;
    PERFORM outflow_tally_refresh(array(
      SELECT DISTINCT enrollment_id FROM new_rows WHERE status <> 'intent'));
  ELSE
    INSERT INTO campaign_counter AS c (workspace_id, campaign_id, metric, key, shard, n)
    SELECT workspace_id, campaign_id, 'sent', key, pg_backend_pid(), sum(sign)
      FROM (SELECT workspace_id, campaign_id, local_date::text || chr(31) || kind AS key, 1 AS sign
              FROM new_rows WHERE status = 'sent'
            UNION ALL
            SELECT workspace_id, campaign_id, local_date::text || chr(31) || kind, -1
              FROM old_rows WHERE status = 'sent') t
     GROUP BY workspace_id, campaign_id, key HAVING sum(sign) <> 0
     ORDER BY 2, 4
    ON CONFLICT (campaign_id, metric, key, shard) DO UPDATE SET n = c.n + excluded.n;
    PERFORM outflow_tally_refresh(array(
      SELECT DISTINCT n.enrollment_id FROM new_rows n JOIN old_rows o ON o.id = n.id
       WHERE (o.status, o.sent_at, o.kind, o.variant, o.has_text, o.node_id)
             IS DISTINCT FROM (n.status, n.sent_at, n.kind, n.variant, n.has_text, n.node_id)));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION outflow_count_events() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
  INSERT INTO campaign_counter AS c (workspace_id, campaign_id, metric, key, shard, n)
  SELECT e.workspace_id, e.campaign_id, 'event',
         to_char(x.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') || chr(31) || x.type,
         pg_backend_pid(), count(*)
    FROM new_rows x
    JOIN enrollment e ON e.lead_id = x.lead_id AND e.account_id = x.account_id
   WHERE x.type IN ('accepted', 'replied')
   GROUP BY 1, 2, 4
   ORDER BY 2, 4
  ON CONFLICT (campaign_id, metric, key, shard) DO UPDATE SET n = c.n + excluded.n;
  PERFORM outflow_tally_refresh(array(
    SELECT DISTINCT e.id FROM new_rows x
      JOIN enrollment e ON e.lead_id = x.lead_id AND e.account_id = x.account_id
     WHERE x.type IN ('accepted', 'replied')));
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION outflow_drop_counters() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
  DELETE FROM campaign_counter WHERE campaign_id IN (SELECT id FROM old_rows);
  DELETE FROM enrollment_tally WHERE campaign_id IN (SELECT id FROM old_rows);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER enrollment_counted_insert AFTER INSERT ON enrollment
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outflow_count_enrollments();
--> statement-breakpoint
CREATE TRIGGER enrollment_counted_update AFTER UPDATE ON enrollment
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION outflow_count_enrollments();
--> statement-breakpoint
CREATE TRIGGER enrollment_counted_delete AFTER DELETE ON enrollment
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION outflow_count_enrollments();
--> statement-breakpoint
CREATE TRIGGER enrollment_step_counted AFTER INSERT ON enrollment_step
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outflow_count_steps();
--> statement-breakpoint
CREATE TRIGGER action_counted_insert AFTER INSERT ON action
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outflow_count_actions();
--> statement-breakpoint
CREATE TRIGGER action_counted_update AFTER UPDATE ON action
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION outflow_count_actions();
--> statement-breakpoint
CREATE TRIGGER inbound_event_counted AFTER INSERT ON inbound_event
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outflow_count_events();
--> statement-breakpoint
CREATE TRIGGER campaign_counters_dropped AFTER DELETE ON campaign
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION outflow_drop_counters();
--> statement-breakpoint
-- Existing campaigns: counted once from what the tables hold.
INSERT INTO campaign_counter (workspace_id, campaign_id, metric, key, shard, n)
SELECT workspace_id, campaign_id, 'at', node_id || chr(31) || state, 0, count(*)
  FROM enrollment GROUP BY workspace_id, campaign_id, node_id, state;
--> statement-breakpoint
INSERT INTO campaign_counter (workspace_id, campaign_id, metric, key, shard, n)
SELECT e.workspace_id, e.campaign_id, 'exit', s.node_id || chr(31) || s.exit, 0, count(*)
  FROM enrollment_step s JOIN enrollment e ON e.id = s.enrollment_id
 WHERE s.exit IS NOT NULL GROUP BY 1, 2, 4;
--> statement-breakpoint
INSERT INTO campaign_counter (workspace_id, campaign_id, metric, key, shard, n)
SELECT workspace_id, campaign_id, 'sent', local_date::text || chr(31) || kind, 0, count(*)
  FROM action WHERE status = 'sent' GROUP BY 1, 2, 4;
--> statement-breakpoint
INSERT INTO campaign_counter (workspace_id, campaign_id, metric, key, shard, n)
SELECT e.workspace_id, e.campaign_id, 'event',
       to_char(x.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') || chr(31) || x.type, 0, count(*)
  FROM inbound_event x
  JOIN enrollment e ON e.lead_id = x.lead_id AND e.account_id = x.account_id
 WHERE x.type IN ('accepted', 'replied') GROUP BY 1, 2, 4;
--> statement-breakpoint
SELECT outflow_tally_refresh(array_agg(id)) FROM enrollment GROUP BY campaign_id;
