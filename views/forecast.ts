// The campaign forecast as the forecast panel and the header's ETA show it.

import type { ForecastSummary } from "@/workflows/simulation/forecast";

/** Where the acceptance and reply rates of a forecast come from. */
export interface ForecastRates {
  source: "observed" | "defaults";
  acceptance: number;
  reply: number;
  /** Settled invitations the acceptance rate was read from (the workspace's, even if too few). */
  invitations: number;
  /** Settled messages and InMails the reply rate was read from (0: the default). */
  messages: number;
}

export interface Forecast extends ForecastSummary {
  start: string;
  days: number;
  seats: string[];
  leads: number;
  rates: ForecastRates;
}

/** What the panel offers to change, and the header's ETA. */
export interface ForecastOptions {
  /** The workspace's seats, those of the campaign marked. */
  seats: Array<{ id: string; name: string; inCampaign: boolean }>;
  /** InMail branches with their budget (null: none). */
  branches: Array<{ key: string; label: string; budget: number | null }>;
  /** Leads enrolled in the campaign (0 before importing). */
  leadsEnrolled: number;
  /** Leads still in flight. */
  leadsInFlight: number;
  rates: ForecastRates;
}

export interface ForecastEta {
  /** The median finish (null: not every lead finishes within the run). */
  finish: string | null;
  days: number;
  seeds: number;
  computedAt: string;
}
