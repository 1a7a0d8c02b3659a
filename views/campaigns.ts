// Campaigns as the campaign list shows them, and the outcome of adding leads to one.

/** A campaign's enrollments by state, and all of them ("enrolled"). */
export interface EnrollmentCounts {
  enrolled: number;
  active: number;
  done: number;
  failed: number;
  removed: number;
}

export interface CampaignSummary {
  id: string;
  name: string;
  status: string;
  /** Whether a version was ever published: only then can it take leads or run. */
  published: boolean;
  createdAt: Date;
  accounts: Array<{ id: string; name: string; status: string }>;
  counts: EnrollmentCounts;
  lastActivityAt: Date | null;
}

export interface AddLeadsResult {
  /** Distinct public identifiers received. */
  received: number;
  enrolled: number;
  skipped: { alreadyInCampaign: number; inOtherCampaign: number; blocklisted: number };
}
