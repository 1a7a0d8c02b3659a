ALTER TABLE "sender_account" ADD COLUMN "paused_at" timestamp with time zone;--> statement-breakpoint
-- Seats already paused count their pause from now.
UPDATE "sender_account" SET "paused_at" = now() WHERE "status" = 'paused';
