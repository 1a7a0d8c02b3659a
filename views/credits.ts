// Credit pools and a campaign's credits, as the Credits page and the budget panel show them.

import type { PlanId } from "@/workflows/credits/plans";
import type { RefundPolicy } from "@/workflows/credits/refunds";
import type { BranchCreditRow, Projection } from "@/workflows/credits/report";

export interface PoolSummary {
  id: string;
  name: string;
  plan: string;
  planLabel: string;
  allowance: number;
  cap: number;
  renewalDay: number;
  refundPolicy: RefundPolicy;
  addOnBlockSize: number | null;
  balance: number;
  /** The pool's own low-credit threshold, null when it uses the default. */
  lowThreshold: number | null;
  /** Below this balance the pool is announced low (its threshold, or 10 % of the allowance). */
  lowMark: number;
  refundsPending: number;
  accounts: Array<{ id: string; name: string }>;
  nextRenewal: { at: string; grant: number; forfeit: number };
  /** End-of-day balance for each day with ledger entries. */
  history: Array<{ day: string; balance: number }>;
}

export interface PoolLedgerEntry {
  id: number;
  at: string;
  type: string;
  amount: number;
  note: string | null;
  campaignId: string | null;
}

export interface PlanOption {
  id: PlanId;
  label: string;
  allowance: number;
  cap: number;
  allowanceSettable: boolean;
  addOnBlockSize: number | null;
  refundPolicy: RefundPolicy;
}

export interface CreditsOverview {
  pools: Array<PoolSummary & { entries: PoolLedgerEntry[] }>;
  accounts: Array<{ id: string; name: string; poolId: string | null }>;
  plans: PlanOption[];
}

export interface CampaignCredits {
  rows: BranchCreditRow[];
  totals: { spent: number; refunded: number; refundsPending: number; net: number; replies: number };
  budget: { campaign: number | null; used: number };
  pools: PoolSummary[];
  projection:
    | (Projection & {
        /**
         * observed: the campaign's own rates; blended: its first figures mixed with the
         * defaults while there are few; defaults; forecast: the campaign's last forecast.
         */
        basis: "observed" | "blended" | "defaults" | "forecast";
        inFlight: number;
        /** With a forecast: its runs, and the first and last day the pool ran dry among them. */
        range?: { runs: number; dryRuns: number; first: Date | null; last: Date | null };
      })
    | null;
}
