ALTER TABLE "invitation" ADD COLUMN "token_hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "invitation_token_hash_uq" ON "invitation" USING btree ("token_hash");