import "server-only";

import type { Database } from "@/db/client";
import { type CampaignCounter, campaignCounters } from "@/db/queries/dashboard";
import type { FunnelStage } from "@/views/dashboard";
import { SEP } from "./dashboard-shared";

export const FUNNEL_STAGES = [
  "enrolled",
  "visited",
  "invited",
  "accepted",
  "messaged",
  "replied",
] as const satisfies readonly FunnelStage[];

// the triggers of db/migrations/0011_dashboard_counter_triggers.sql). They move in the same
// transaction as the rows they count, so every process reads the same numbers whenever a row
// commits, and a read costs one indexed range of a few hundred rows whatever the campaign's size.

interface CampaignFigures {
  /** node␟state → enrollments standing there (active) or whose run ended there. */
  at: Map<string, number>;
  /** node␟exit → exits taken. */
  exits: Map<string, number>;
  /** local date␟kind → sent actions. */
  sentPerDay: Map<string, number>;
  /** date␟accepted|replied → events from the campaign's leads. */
  eventsPerDay: Map<string, number>;
  funnel: Record<"visited" | "invited" | "accepted" | "messaged" | "replied" | "texted", number>;
  /** node␟variant → tallies. */
  variants: Map<string, { drawn: number; sent: number; converted: number }>;
}

export function figuresOf(rows: CampaignCounter[]): CampaignFigures {
  const figures: CampaignFigures = {
    at: new Map(),
    exits: new Map(),
    sentPerDay: new Map(),
    eventsPerDay: new Map(),
    funnel: { visited: 0, invited: 0, accepted: 0, messaged: 0, replied: 0, texted: 0 },
    variants: new Map(),
  };
  for (const { metric, key, n } of rows) {
    if (n === 0) continue;
    if (metric === "at") figures.at.set(key, n);
    else if (metric === "exit") figures.exits.set(key, n);
    else if (metric === "sent") figures.sentPerDay.set(key, n);
    else if (metric === "event") figures.eventsPerDay.set(key, n);
    else if (metric === "funnel" && key in figures.funnel) {
      figures.funnel[key as keyof CampaignFigures["funnel"]] = n;
    } else if (metric === "variant") {
      const [nodeId = "", variant = "", mark = ""] = key.split(SEP);
      const id = `${nodeId}${SEP}${variant}`;
      const tally = figures.variants.get(id) ?? { drawn: 0, sent: 0, converted: 0 };
      if (mark === "drawn" || mark === "sent" || mark === "converted") tally[mark] = n;
      figures.variants.set(id, tally);
    }
  }
  return figures;
}

export async function campaignFigures(
  db: Database,
  workspaceId: string,
  campaignIds: string[],
): Promise<Map<string, CampaignFigures>> {
  const rows = await campaignCounters(db, workspaceId, campaignIds);
  const byCampaign = new Map<string, CampaignCounter[]>();
  for (const row of rows) {
    const list = byCampaign.get(row.campaignId) ?? [];
    list.push(row);
    byCampaign.set(row.campaignId, list);
  }
  return new Map(campaignIds.map((id) => [id, figuresOf(byCampaign.get(id) ?? [])]));
}
