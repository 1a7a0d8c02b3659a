ALTER TABLE "credit_pool" ADD COLUMN "low_threshold" integer;--> statement-breakpoint
ALTER TABLE "notification_delivery" ADD COLUMN "call_started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sender_account" ADD COLUMN "inbox_backfill_due_at" timestamp with time zone;