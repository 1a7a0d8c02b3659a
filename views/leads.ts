// Leads as the lists, the lead page and the import show them.

import type { WaitingReason } from "@/workflows/engine/waiting-reason";

export interface LeadListItem {
  id: string;
  publicIdentifier: string;
  name: string;
  firstName: string;
  lastName: string;
  company: string;
  title: string;
  createdAt: Date;
  /**
   * With, for a campaign the lead is in progress in, why it waits there (in words), and whether
   * the campaign is paused.
   */
  campaigns: Array<{
    campaignId: string;
    name: string;
    state: string;
    paused: boolean;
    waiting: string | null;
  }>;
  lastActivityAt: Date | null;
  replied: boolean;
  blocklisted: boolean;
}

/** One lead's card: its fields, whether it is blocklisted, and its campaigns. */
export interface LeadDetail {
  lead: {
    id: string;
    publicIdentifier: string;
    providerId: string | null;
    name: string;
    firstName: string;
    lastName: string;
    company: string;
    title: string;
    custom: Record<string, string>;
    profile: {
      networkDistance?: number | null;
      isPremium?: boolean;
      isOpenProfile?: boolean;
      canSendInmail?: boolean;
    } | null;
    profileUrl: string;
    createdAt: Date;
  };
  blocklisted: { reason: string | null; since: Date } | null;
  enrollments: LeadEnrollment[];
}

/** A campaign the lead is (or was) in: where it stands and what comes next. */
export interface LeadEnrollment {
  id: string;
  campaign: { id: string; name: string; status: string };
  accountName: string | null;
  version: number;
  state: string;
  /** The step the lead stands on, in words. */
  step: string;
  branch: string;
  outcome: string | null;
  reason: string | null;
  nextRunAt: Date | null;
  /** Why an active enrollment waits, in words, and until when. */
  waiting: WaitingReason | null;
  enrolledAt: Date;
  updatedAt: Date;
}

export interface ImportLeadsResult {
  /** Rows received. */
  received: number;
  /** Distinct leads after duplicates were merged. */
  leads: number;
  created: number;
  /** Leads the workspace already had, their empty fields left as they were. */
  updated: number;
  enrollment: {
    campaignId: string;
    campaignName: string;
    enrolled: number;
    skipped: { alreadyInCampaign: number; inOtherCampaign: number; blocklisted: number };
  } | null;
}
