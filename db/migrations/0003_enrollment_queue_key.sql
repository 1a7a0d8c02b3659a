DROP INDEX "enrollment_due_idx";--> statement-breakpoint
ALTER TABLE "enrollment" ADD COLUMN "queue_key" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "enrollment_due_idx" ON "enrollment" USING btree ("next_run_at","queue_key") WHERE "enrollment"."state" = 'active';--> statement-breakpoint
ALTER TABLE "sender_account" DROP COLUMN "queue_tail";