-- A lead's actions in time order: the lead list reads each lead's latest as one index entry
-- (and its row) instead of every action of the lead.
DROP INDEX "action_lead_idx";--> statement-breakpoint
CREATE INDEX "action_lead_idx" ON "action" USING btree ("lead_id","created_at");