CREATE TABLE "campaign_counter" (
	"workspace_id" text NOT NULL,
	"campaign_id" text NOT NULL,
	"metric" text NOT NULL,
	"key" text NOT NULL,
	"shard" integer NOT NULL,
	"n" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "campaign_counter_campaign_id_metric_key_shard_pk" PRIMARY KEY("campaign_id","metric","key","shard")
);
--> statement-breakpoint
CREATE TABLE "enrollment_tally" (
	"enrollment_id" text PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"funnel" integer DEFAULT 0 NOT NULL,
	"variants" text[] DEFAULT '{}'::text[] NOT NULL
);
