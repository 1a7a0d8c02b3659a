CREATE TABLE "campaign_alert" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"campaign_id" text NOT NULL,
	"node_id" text NOT NULL,
	"hold_step" boolean DEFAULT true NOT NULL,
	"title" text NOT NULL,
	"detail" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "lead_api_id" (
	"workspace_id" text NOT NULL,
	"account_id" text NOT NULL,
	"lead_id" text NOT NULL,
	"api" text NOT NULL,
	"provider_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lead_api_id_account_id_lead_id_api_pk" PRIMARY KEY("account_id","lead_id","api")
);
--> statement-breakpoint
CREATE TABLE "notification" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"audience" text DEFAULT 'admins' NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text,
	"dedupe_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
DROP INDEX "inbound_event_external_uq";--> statement-breakpoint
ALTER TABLE "provider_credential" ADD COLUMN "problem" text;--> statement-breakpoint
ALTER TABLE "provider_credential" ADD COLUMN "problem_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sender_account" ADD COLUMN "linkedin_plan" text DEFAULT 'premium' NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_alert" ADD CONSTRAINT "campaign_alert_workspace_id_organization_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_api_id" ADD CONSTRAINT "lead_api_id_workspace_id_organization_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification" ADD CONSTRAINT "notification_workspace_id_organization_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_alert_open_uq" ON "campaign_alert" USING btree ("campaign_id","node_id") WHERE "campaign_alert"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX "campaign_alert_workspace_idx" ON "campaign_alert" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "notification_workspace_idx" ON "notification" USING btree ("workspace_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "notification_unread_uq" ON "notification" USING btree ("workspace_id","dedupe_key") WHERE "notification"."read_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_event_external_uq" ON "inbound_event" USING btree ("provider","workspace_id","provider_account_id","external_id");