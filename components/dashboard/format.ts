import { formatNumber, formatPercent } from "@/components/ui/format";
import { ACTIONS, type ActionKind, byActionKind, isActionKind } from "@/workflows/nodes/index";

/** Shared wording and number formats of the dashboard. */

export const KIND_LABELS: Readonly<Record<ActionKind, string>> = byActionKind(
  (kind) => ACTIONS[kind].plural,
);

/** One colour per action kind, the same in the chart and its legend. */
export const KIND_COLOURS: Readonly<Record<ActionKind, string>> = byActionKind(
  (kind) => ACTIONS[kind].chartColour,
);

/** An action kind read from a row: its label, or the code when no step performs it any more. */
export const kindLabel = (kind: string) => (isActionKind(kind) ? KIND_LABELS[kind] : kind);

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
