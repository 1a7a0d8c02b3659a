-- An accepted invitation leaves the seat's pending set with its own row (action.accepted_at):
-- the pending count reads only the invitations still pending, never the acceptances of the
-- others. The database keeps the column in the transaction of each write, whichever comes
-- first: an acceptance marks the seat's invitations to its lead, and an invitation written
-- after an acceptance of its lead on that seat is marked as it is inserted.
DROP INDEX "action_pending_invitation_idx";--> statement-breakpoint
ALTER TABLE "action" ADD COLUMN "accepted_at" timestamp with time zone;--> statement-breakpoint
-- The invitations accepted so far: the earliest acceptance of the lead on the seat.
UPDATE action a SET accepted_at = ev.at
  FROM (SELECT lead_id, account_id, min(occurred_at) AS at FROM inbound_event
         WHERE type = 'accepted' AND lead_id IS NOT NULL AND account_id IS NOT NULL
         GROUP BY lead_id, account_id) ev
 WHERE a.kind = 'connect' AND a.lead_id = ev.lead_id AND a.account_id = ev.account_id;--> statement-breakpoint
-- New acceptances, once per statement: the seat's invitations to each lead, set to the earliest.
CREATE FUNCTION outflow_mark_accepted_invitations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE action a SET accepted_at = ev.at
    FROM (SELECT lead_id, account_id, min(occurred_at) AS at FROM new_rows
           WHERE type = 'accepted' AND lead_id IS NOT NULL AND account_id IS NOT NULL
           GROUP BY lead_id, account_id) ev
   WHERE a.lead_id = ev.lead_id AND a.account_id = ev.account_id AND a.kind = 'connect'
     AND (a.accepted_at IS NULL OR a.accepted_at > ev.at);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER inbound_event_accepts_invitations AFTER INSERT ON inbound_event
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION outflow_mark_accepted_invitations();--> statement-breakpoint
-- A new invitation to a lead who already accepted one from the seat is accepted from the start.
CREATE FUNCTION outflow_invitation_accepted_before() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT min(occurred_at) INTO NEW.accepted_at FROM inbound_event
   WHERE lead_id = NEW.lead_id AND account_id = NEW.account_id AND type = 'accepted';
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER action_invitation_accepted_before BEFORE INSERT ON action
  FOR EACH ROW WHEN (NEW.kind = 'connect') EXECUTE FUNCTION outflow_invitation_accepted_before();--> statement-breakpoint
CREATE INDEX "action_pending_invitation_idx" ON "action" USING btree ("account_id","sent_at") WHERE "action"."kind" = 'connect' and "action"."status" in ('intent', 'sent') and "action"."withdrawal" is null and "action"."accepted_at" is null;
