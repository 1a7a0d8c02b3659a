ALTER TABLE "sender_account" ADD COLUMN "queue_tail" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "usage_counter" ADD COLUMN "booked" integer DEFAULT 0 NOT NULL;