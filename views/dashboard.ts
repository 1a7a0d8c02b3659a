// The campaign dashboard and the campaign list's figures. Definitions of the figures are in
// server/dashboard/get-campaign-dashboard.ts, which computes them.

import type { ActionKind } from "@/workflows/engine/pacing/settings";
import type { CampaignSummary } from "./campaigns";

export type FunnelStage = "enrolled" | "visited" | "invited" | "accepted" | "messaged" | "replied";

export interface DashboardExit {
  exit: string;
  label: string;
  count: number;
}

export interface DashboardNode {
  nodeId: string;
  kind: string | null;
  label: string;
  summary: string;
  /** False for a step of an earlier version that leads still stand on or left. */
  inLiveVersion: boolean;
  waiting: number;
  passed: number;
  finished: number;
  failed: number;
  removed: number;
  exits: DashboardExit[];
}

export interface DashboardVariant {
  nodeId: string;
  node: string;
  variant: string;
  /** "A", "B"… in the step's order, or the variant id for a step no longer published. */
  letter: string;
  preview: string;
  metric: "accepted" | "replied";
  drawn: number;
  sent: number;
  converted: number;
  /** converted / sent; null before anything was sent. */
  rate: number | null;
}

/**
 * One day: sent actions per kind on the sender's local date (the date caps count on), and the
 * acceptances and replies from the campaign's leads on that UTC date.
 */
export type DailyActivity = { date: string; accepted: number; replied: number } & Record<
  ActionKind,
  number
>;

export interface CampaignDashboard {
  campaign: {
    id: string;
    name: string;
    status: string;
    stopOnReply: boolean;
    version: { id: string; version: number; publishedAt: string } | null;
    accounts: Array<{ id: string; name: string; status: string }>;
  };
  generatedAt: string;
  graph: {
    nodes: Array<{
      id: string;
      kind: string;
      label: string;
      summary: string;
      colour: string;
      position: { x: number; y: number };
    }>;
    edges: Array<{ id: string; source: string; sourceHandle: string; target: string }>;
  } | null;
  enrollments: {
    enrolled: number;
    active: number;
    finished: number;
    failed: number;
    removed: number;
  };
  nodes: DashboardNode[];
  funnel: Array<{ stage: FunnelStage; label: string; leads: number }>;
  rates: { acceptance: number | null; reply: number | null; texted: number };
  daily: DailyActivity[];
  variants: DashboardVariant[];
  feed: Array<{
    id: string;
    at: string;
    sentAt: string | null;
    lead: { id: string; name: string; publicIdentifier: string };
    nodeId: string;
    node: string;
    kind: string;
    outcome: string;
    reason: string | null;
    variant: string | null;
    credits: number;
  }>;
}

export interface CampaignListFigures {
  invited: number;
  accepted: number;
  texted: number;
  replied: number;
  acceptanceRate: number | null;
  replyRate: number | null;
  creditsUsed: number;
}

export type CampaignListItem = CampaignSummary & { figures: CampaignListFigures };
