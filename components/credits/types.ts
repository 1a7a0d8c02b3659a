import type { CampaignCredits, CreditsOverview } from "@/views/credits";

/** What a value looks like after a JSON round trip: dates become ISO strings. */
export type Serialized<T> = T extends Date
  ? string
  : T extends Array<infer Item>
    ? Array<Serialized<Item>>
    : T extends object
      ? { [K in keyof T]: Serialized<T[K]> }
      : T;

export type CampaignCreditsView = Serialized<CampaignCredits>;
export type CreditsOverviewView = Serialized<CreditsOverview>;
export type PoolView = CreditsOverviewView["pools"][number];
export type PoolSummaryView = CampaignCreditsView["pools"][number];
export type BranchRowView = CampaignCreditsView["rows"][number];
export type ProjectionView = NonNullable<CampaignCreditsView["projection"]>;
