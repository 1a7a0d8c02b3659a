import { formatNumber, formatPercent } from "@/components/ui/format";

/** Shared wording and number formats of the dashboard. */

export const KIND_LABELS: Record<string, string> = {
  visit: "Visits",
  follow: "Follows",
  connect: "Invitations",
  message: "Messages",
  inmail: "InMails",
};

/** One colour per action kind, the same in the chart and its legend. */
export const KIND_COLOURS: Record<string, string> = {
  visit: "#64748b",
  follow: "#0ea5e9",
  connect: "#2563eb",
  message: "#16a34a",
  inmail: "#9333ea",
};

export const OUTCOME_LABELS: Record<string, string> = {
  sent: "Sent",
  intent: "Sending…",
  not_sent: "Not sent",
  skipped: "Skipped",
  failed: "Failed",
};

export const integer = formatNumber;
export const percent = formatPercent;

/** "already_invited" → "already invited": engine reasons are codes. */
export const reasonText = (reason: string | null) => (reason ? reason.replaceAll("_", " ") : "");
