// Wording and number formats shared by the budget panel and the Credits page.

import { formatLongDate, formatShortUtcDay } from "@/components/ui/format";
import { balanceDelta } from "@/workflows/credits/ledger";

// Renewals happen at midnight UTC on the anchor day, so dates are told in UTC: the same day
// for every reader.

/** "25 March 2026". */
export function formatDay(iso: string | Date): string {
  return formatLongDate(iso, { timeZone: "UTC" });
}

/** "25 Mar", for chart axes. */
export function formatShortDay(iso: string | Date): string {
  return formatShortUtcDay(iso);
}

export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

const REASONS: Record<string, string> = {
  budget_reached: "budget reached",
  no_credit: "no credit left",
  insufficient_credits: "no credit left",
  recipient_refuses_inmail: "refuse InMail",
  not_allowed_inmail: "refuse InMail",
  // The name actions carried before it was made the same as the step's.
  refuses_inmail: "refuse InMail",
  first_degree_skipped: "1st-degree, skipped",
  not_reachable: "not reachable",
  recipient_restricted: "recipient restricted",
};

/** Why InMails were not sent, in words: "3 refuse InMail, 1 budget reached". */
export function describeReasons(reasons: Record<string, number>): string {
  return Object.entries(reasons)
    .sort(([, a], [, b]) => b - a)
    .map(([reason, count]) => `${count} ${REASONS[reason] ?? reason.replaceAll("_", " ")}`)
    .join(", ");
}

export function describeRefundPolicy(
  policy: { type: "none" } | { type: "on_reply"; windowDays: number; delayDays: number },
): string {
  if (policy.type === "none") return "no refunds";
  return `refund on a reply within ${plural(policy.windowDays, "day")}, posted after ${plural(policy.delayDays, "day")}`;
}

const ENTRY_LABELS: Record<string, string> = {
  grant: "Renewal",
  spend: "InMail sent",
  refund: "Refund",
  forfeit: "Forfeited",
  purchase: "Purchase",
  adjustment: "Correction",
};

/** An entry's kind in words; the engine's own adjustments give back a credit it held. */
export function entryLabel(type: string, fromCampaign = false): string {
  if (type === "adjustment" && fromCampaign) return "Given back";
  return ENTRY_LABELS[type] ?? type;
}

/** How an entry moved the balance: "+30", "−1", "0" for a forfeit. */
export function entryDelta(type: string, amount: number): string {
  const delta = balanceDelta({ type, amount });
  if (delta > 0) return `+${delta}`;
  if (delta < 0) return `−${Math.abs(delta)}`;
  return "0";
}
