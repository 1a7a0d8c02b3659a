-- Pending invitations counted up to a seat's ceiling from the indexes alone: each pending
-- invitation's lead in action_pending_invitation_idx, and the acceptances by lead and seat.
DROP INDEX "action_pending_invitation_idx";--> statement-breakpoint
CREATE INDEX "inbound_event_accepted_idx" ON "inbound_event" USING btree ("lead_id","account_id") WHERE "inbound_event"."type" = 'accepted';--> statement-breakpoint
CREATE INDEX "action_pending_invitation_idx" ON "action" USING btree ("account_id","sent_at","lead_id") WHERE "action"."kind" = 'connect' and "action"."status" in ('intent', 'sent') and "action"."withdrawal" is null;