CREATE TABLE "account_connection" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"account_id" text,
	"name" text NOT NULL,
	"provider_account_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "credit_refund" (
	"action_id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"pool_id" text NOT NULL,
	"replied_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"posted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "provider_credential" (
	"workspace_id" text PRIMARY KEY NOT NULL,
	"provider" text DEFAULT 'unipile' NOT NULL,
	"dsn" text NOT NULL,
	"api_key_ciphertext" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "credit_pool" ADD COLUMN "next_renewal_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "account_connection" ADD CONSTRAINT "account_connection_workspace_id_organization_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_refund" ADD CONSTRAINT "credit_refund_workspace_id_organization_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_refund" ADD CONSTRAINT "credit_refund_pool_id_credit_pool_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."credit_pool"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_credential" ADD CONSTRAINT "provider_credential_workspace_id_organization_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "account_connection_workspace_idx" ON "account_connection" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "credit_refund_due_idx" ON "credit_refund" USING btree ("due_at") WHERE "credit_refund"."posted_at" is null;--> statement-breakpoint
CREATE INDEX "credit_pool_renewal_idx" ON "credit_pool" USING btree ("next_renewal_at");