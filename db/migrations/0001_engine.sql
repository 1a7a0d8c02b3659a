CREATE TABLE "action" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"enrollment_id" text NOT NULL,
	"campaign_id" text NOT NULL,
	"lead_id" text NOT NULL,
	"account_id" text NOT NULL,
	"node_id" text NOT NULL,
	"kind" text NOT NULL,
	"has_text" boolean DEFAULT false NOT NULL,
	"branch" text NOT NULL,
	"variant" text,
	"status" text NOT NULL,
	"reason" text,
	"credits" integer DEFAULT 0 NOT NULL,
	"local_date" date NOT NULL,
	"reference" text,
	"chat_id" text,
	"error" text,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "action_idempotency_key_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "blocklist_entry" (
	"workspace_id" text NOT NULL,
	"public_identifier" text NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "blocklist_entry_workspace_id_public_identifier_pk" PRIMARY KEY("workspace_id","public_identifier")
);
--> statement-breakpoint
CREATE TABLE "campaign" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"stop_on_reply" boolean DEFAULT true NOT NULL,
	"draft_graph" jsonb NOT NULL,
	"draft_hash" text NOT NULL,
	"live_version_id" text,
	"budgets" jsonb,
	"seed" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaign_account" (
	"campaign_id" text NOT NULL,
	"account_id" text NOT NULL,
	"workspace_id" text NOT NULL,
	CONSTRAINT "campaign_account_campaign_id_account_id_pk" PRIMARY KEY("campaign_id","account_id")
);
--> statement-breakpoint
CREATE TABLE "credit_ledger" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"pool_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"type" text NOT NULL,
	"amount" integer NOT NULL,
	"campaign_id" text,
	"node_id" text,
	"branch" text,
	"enrollment_id" text,
	"lead_id" text,
	"variant" text,
	"action_id" text,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "credit_pool" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"name" text NOT NULL,
	"plan" text NOT NULL,
	"allowance" integer NOT NULL,
	"cap" integer NOT NULL,
	"renewal_day" integer NOT NULL,
	"refund_policy" jsonb NOT NULL,
	"balance" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_pool_balance_nonnegative" CHECK ("credit_pool"."balance" >= 0)
);
--> statement-breakpoint
CREATE TABLE "enrollment" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"campaign_id" text NOT NULL,
	"lead_id" text NOT NULL,
	"version_id" text NOT NULL,
	"account_id" text NOT NULL,
	"node_id" text NOT NULL,
	"step_seq" integer DEFAULT 0 NOT NULL,
	"state" text DEFAULT 'active' NOT NULL,
	"next_run_at" timestamp with time zone NOT NULL,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"branch" text DEFAULT '' NOT NULL,
	"step_state" jsonb,
	"outcome" text,
	"reason" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enrollment_step" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"enrollment_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"node_id" text NOT NULL,
	"exit" text,
	"to_node_id" text,
	"branch" text NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "inbound_event" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" text,
	"provider" text NOT NULL,
	"external_id" text NOT NULL,
	"type" text NOT NULL,
	"provider_account_id" text NOT NULL,
	"account_id" text,
	"lead_id" text,
	"chat_id" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"processed_at" timestamp with time zone,
	"payload" jsonb
);
--> statement-breakpoint
CREATE TABLE "lead" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"public_identifier" text NOT NULL,
	"provider_id" text,
	"first_name" text DEFAULT '' NOT NULL,
	"last_name" text DEFAULT '' NOT NULL,
	"company" text DEFAULT '' NOT NULL,
	"title" text DEFAULT '' NOT NULL,
	"custom" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"profile" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_account_state" (
	"provider_account_id" text PRIMARY KEY NOT NULL,
	"state" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_event" (
	"external_id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"provider_account_id" text NOT NULL,
	"lead_public_identifier" text NOT NULL,
	"chat_id" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"delivered_at" timestamp with time zone,
	"event" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_received" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"provider_account_id" text NOT NULL,
	"lead_public_identifier" text NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"record" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sender_account" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"name" text NOT NULL,
	"provider" text NOT NULL,
	"provider_account_id" text NOT NULL,
	"pacing" jsonb NOT NULL,
	"sandbox" jsonb,
	"status" text DEFAULT 'active' NOT NULL,
	"status_reason" text,
	"cooling_until" timestamp with time zone,
	"next_free_at" timestamp with time zone,
	"credit_pool_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_counter" (
	"account_id" text NOT NULL,
	"local_date" date NOT NULL,
	"kind" text NOT NULL,
	"used" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "usage_counter_account_id_local_date_kind_pk" PRIMARY KEY("account_id","local_date","kind")
);
--> statement-breakpoint
CREATE TABLE "workflow_version" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"campaign_id" text NOT NULL,
	"version" integer NOT NULL,
	"graph" jsonb NOT NULL,
	"hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "action" ADD CONSTRAINT "action_workspace_id_organization_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action" ADD CONSTRAINT "action_enrollment_id_enrollment_id_fk" FOREIGN KEY ("enrollment_id") REFERENCES "public"."enrollment"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "blocklist_entry" ADD CONSTRAINT "blocklist_entry_workspace_id_organization_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign" ADD CONSTRAINT "campaign_workspace_id_organization_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_account" ADD CONSTRAINT "campaign_account_campaign_id_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaign"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_account" ADD CONSTRAINT "campaign_account_account_id_sender_account_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."sender_account"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_account" ADD CONSTRAINT "campaign_account_workspace_id_organization_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_ledger" ADD CONSTRAINT "credit_ledger_workspace_id_organization_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_ledger" ADD CONSTRAINT "credit_ledger_pool_id_credit_pool_id_fk" FOREIGN KEY ("pool_id") REFERENCES "public"."credit_pool"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_pool" ADD CONSTRAINT "credit_pool_workspace_id_organization_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrollment" ADD CONSTRAINT "enrollment_workspace_id_organization_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrollment" ADD CONSTRAINT "enrollment_campaign_id_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaign"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrollment" ADD CONSTRAINT "enrollment_lead_id_lead_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."lead"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrollment" ADD CONSTRAINT "enrollment_version_id_workflow_version_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."workflow_version"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrollment" ADD CONSTRAINT "enrollment_account_id_sender_account_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."sender_account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrollment_step" ADD CONSTRAINT "enrollment_step_workspace_id_organization_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrollment_step" ADD CONSTRAINT "enrollment_step_enrollment_id_enrollment_id_fk" FOREIGN KEY ("enrollment_id") REFERENCES "public"."enrollment"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead" ADD CONSTRAINT "lead_workspace_id_organization_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sender_account" ADD CONSTRAINT "sender_account_workspace_id_organization_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sender_account" ADD CONSTRAINT "sender_account_credit_pool_id_credit_pool_id_fk" FOREIGN KEY ("credit_pool_id") REFERENCES "public"."credit_pool"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_counter" ADD CONSTRAINT "usage_counter_account_id_sender_account_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."sender_account"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_version" ADD CONSTRAINT "workflow_version_workspace_id_organization_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_version" ADD CONSTRAINT "workflow_version_campaign_id_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaign"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "action_enrollment_idx" ON "action" USING btree ("enrollment_id");--> statement-breakpoint
CREATE INDEX "action_campaign_idx" ON "action" USING btree ("campaign_id","created_at");--> statement-breakpoint
CREATE INDEX "action_account_idx" ON "action" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE INDEX "action_lead_idx" ON "action" USING btree ("lead_id");--> statement-breakpoint
CREATE INDEX "action_intent_idx" ON "action" USING btree ("status") WHERE "action"."status" = 'intent';--> statement-breakpoint
CREATE INDEX "campaign_workspace_idx" ON "campaign" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "credit_ledger_pool_idx" ON "credit_ledger" USING btree ("pool_id","at");--> statement-breakpoint
CREATE INDEX "credit_pool_workspace_idx" ON "credit_pool" USING btree ("workspace_id");--> statement-breakpoint
CREATE UNIQUE INDEX "enrollment_campaign_lead_uq" ON "enrollment" USING btree ("campaign_id","lead_id");--> statement-breakpoint
CREATE INDEX "enrollment_due_idx" ON "enrollment" USING btree ("next_run_at") WHERE "enrollment"."state" = 'active';--> statement-breakpoint
CREATE INDEX "enrollment_lead_idx" ON "enrollment" USING btree ("lead_id");--> statement-breakpoint
CREATE INDEX "enrollment_step_enrollment_idx" ON "enrollment_step" USING btree ("enrollment_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_event_external_uq" ON "inbound_event" USING btree ("provider","external_id");--> statement-breakpoint
CREATE INDEX "inbound_event_lead_idx" ON "inbound_event" USING btree ("lead_id","type");--> statement-breakpoint
CREATE INDEX "inbound_event_unprocessed_idx" ON "inbound_event" USING btree ("id") WHERE "inbound_event"."processed_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "lead_workspace_identifier_uq" ON "lead" USING btree ("workspace_id","public_identifier");--> statement-breakpoint
CREATE INDEX "sandbox_event_due_idx" ON "sandbox_event" USING btree ("occurred_at") WHERE "sandbox_event"."delivered_at" is null;--> statement-breakpoint
CREATE INDEX "sandbox_event_person_idx" ON "sandbox_event" USING btree ("provider_account_id","lead_public_identifier");--> statement-breakpoint
CREATE UNIQUE INDEX "sandbox_received_key_uq" ON "sandbox_received" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "sandbox_received_person_idx" ON "sandbox_received" USING btree ("provider_account_id","lead_public_identifier");--> statement-breakpoint
CREATE INDEX "sender_account_workspace_idx" ON "sender_account" USING btree ("workspace_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sender_account_provider_uq" ON "sender_account" USING btree ("provider","provider_account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "workflow_version_campaign_uq" ON "workflow_version" USING btree ("campaign_id","version");