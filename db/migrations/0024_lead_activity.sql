ALTER TABLE "lead" ADD COLUMN "last_action_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "lead" ADD COLUMN "replied_at" timestamp with time zone;--> statement-breakpoint
-- What the lead list shows of each lead (its last action, whether it replied) kept on the lead,
-- in the transaction of each insert, rather than looked up per lead of every page.
UPDATE lead l SET last_action_at = a.at
  FROM (SELECT lead_id, max(created_at) AS at FROM action GROUP BY lead_id) a
 WHERE l.id = a.lead_id;--> statement-breakpoint
UPDATE lead l SET replied_at = v.at
  FROM (SELECT lead_id, min(occurred_at) AS at FROM inbound_event
         WHERE type = 'replied' AND lead_id IS NOT NULL GROUP BY lead_id) v
 WHERE l.id = v.lead_id;--> statement-breakpoint
-- New actions, once per statement. The leads are locked in id order first, so two workers
-- writing actions to the same leads (a lead in two campaigns) wait for each other, never deadlock.
CREATE FUNCTION outflow_lead_last_action() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM lead l WHERE l.id IN (SELECT lead_id FROM new_rows) ORDER BY l.id FOR UPDATE;
  UPDATE lead l SET last_action_at = n.at
    FROM (SELECT lead_id, max(created_at) AS at FROM new_rows GROUP BY lead_id) n
   WHERE l.id = n.lead_id AND (l.last_action_at IS NULL OR l.last_action_at < n.at);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER action_lead_last_action AFTER INSERT ON action
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION outflow_lead_last_action();--> statement-breakpoint
-- New replies, once per statement: the lead's first reply.
CREATE FUNCTION outflow_lead_replied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM lead l
    WHERE l.id IN (SELECT lead_id FROM new_rows WHERE type = 'replied') AND l.replied_at IS NULL
    ORDER BY l.id FOR UPDATE;
  UPDATE lead l SET replied_at = n.at
    FROM (SELECT lead_id, min(occurred_at) AS at FROM new_rows
           WHERE type = 'replied' AND lead_id IS NOT NULL GROUP BY lead_id) n
   WHERE l.id = n.lead_id AND (l.replied_at IS NULL OR l.replied_at > n.at);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER inbound_event_lead_replied AFTER INSERT ON inbound_event
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION outflow_lead_replied();
