CREATE TABLE "conversation" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"account_id" text NOT NULL,
	"lead_id" text NOT NULL,
	"chat_id" text,
	"last_message_at" timestamp with time zone NOT NULL,
	"preview" text DEFAULT '' NOT NULL,
	"unread" boolean DEFAULT false NOT NULL,
	"has_reply" boolean DEFAULT false NOT NULL,
	"assignee_id" text,
	"done_at" timestamp with time zone,
	"category" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "message" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"conversation_id" text NOT NULL,
	"direction" text NOT NULL,
	"origin" text NOT NULL,
	"kind" text DEFAULT 'message' NOT NULL,
	"subject" text,
	"text" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"sender_user_id" text,
	"sender_name" text,
	"provider_message_id" text,
	"chat_id" text,
	"action_id" text,
	"idempotency_key" text,
	"status" text NOT NULL,
	"error" text,
	"local_date" date,
	"category" text,
	"language" text,
	"return_date" date,
	"referral" text,
	"corrected_category" text,
	"campaign_id" text,
	"node_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "campaign" ADD COLUMN "out_of_office_as_reply" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign" ADD COLUMN "out_of_office_pause_days" integer DEFAULT 7 NOT NULL;--> statement-breakpoint
ALTER TABLE "conversation" ADD CONSTRAINT "conversation_workspace_id_organization_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation" ADD CONSTRAINT "conversation_account_id_sender_account_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."sender_account"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation" ADD CONSTRAINT "conversation_lead_id_lead_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."lead"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message" ADD CONSTRAINT "message_workspace_id_organization_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."organization"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message" ADD CONSTRAINT "message_conversation_id_conversation_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "conversation_account_lead_uq" ON "conversation" USING btree ("account_id","lead_id");--> statement-breakpoint
CREATE INDEX "conversation_inbox_idx" ON "conversation" USING btree ("workspace_id","last_message_at","id") WHERE "conversation"."has_reply";--> statement-breakpoint
CREATE INDEX "conversation_lead_idx" ON "conversation" USING btree ("lead_id");--> statement-breakpoint
CREATE INDEX "message_conversation_idx" ON "message" USING btree ("conversation_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "message_provider_uq" ON "message" USING btree ("conversation_id","provider_message_id") WHERE "message"."provider_message_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "message_key_uq" ON "message" USING btree ("workspace_id","idempotency_key") WHERE "message"."idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX "message_intent_idx" ON "message" USING btree ("status") WHERE "message"."status" = 'intent';