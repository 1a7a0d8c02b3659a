ALTER TABLE "action" ADD COLUMN "withdrawal" text;--> statement-breakpoint
ALTER TABLE "action" ADD COLUMN "withdrawal_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "action_pending_invitation_idx" ON "action" USING btree ("account_id","sent_at") WHERE "action"."kind" = 'connect' and "action"."status" in ('intent', 'sent') and "action"."withdrawal" is null;--> statement-breakpoint
CREATE INDEX "action_withdrawal_idx" ON "action" USING btree ("account_id","withdrawal_at") WHERE "action"."withdrawal" is not null;