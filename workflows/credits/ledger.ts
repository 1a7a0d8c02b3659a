/**
 * The append-only credit ledger. A pool's balance is never stored on its own: it is the sum of
 * its entries, each tagged with where the credit went so spend can be shown per branch.
 */
import { z } from "zod";

export const LEDGER_ENTRY_TYPES = [
  "grant",
  "spend",
  "refund",
  "forfeit",
  "purchase",
  "adjustment",
] as const;
export type LedgerEntryType = (typeof LEDGER_ENTRY_TYPES)[number];

export const LedgerTagsSchema = z
  .object({
    campaignId: z.string(),
    nodeId: z.string(),
    /** Branch path key: the condition exits the lead took to reach the node. */
    branch: z.string(),
    enrollmentId: z.string(),
    leadId: z.string(),
    variant: z.string(),
    actionId: z.string(),
  })
  .partial();
export type LedgerTags = z.infer<typeof LedgerTagsSchema>;

const entryBase = {
  at: z.date(),
  tags: LedgerTagsSchema.optional(),
  note: z.string().optional(),
};

export const LedgerEntrySchema = z.discriminatedUnion("type", [
  z.object({
    ...entryBase,
    type: z.enum(["grant", "spend", "refund", "forfeit", "purchase"]),
    /** Always positive: the type gives the direction. */
    amount: z.int().positive(),
  }),
  z.object({
    ...entryBase,
    type: z.literal("adjustment"),
    /** A correction (e.g. syncing with LinkedIn's count): the sign gives the direction. */
    amount: z.int().refine((amount) => amount !== 0, "An adjustment moves the balance"),
  }),
]);
export type LedgerEntry = z.infer<typeof LedgerEntrySchema>;

/**
 * How an entry moves the balance. A forfeit moves nothing: it records credits of a renewal
 * that never arrived because the pool was at its cap.
 */
export function balanceDelta(entry: LedgerEntry): number {
  switch (entry.type) {
    case "grant":
    case "refund":
    case "purchase":
    case "adjustment":
      return entry.amount;
    case "spend":
      return -entry.amount;
    case "forfeit":
      return 0;
  }
}

export function balanceOf(entries: readonly LedgerEntry[]): number {
  return entries.reduce((balance, entry) => balance + balanceDelta(entry), 0);
}

export type EntryCheck =
  | { ok: true; balanceAfter: number }
  | {
      ok: false;
      reason: "invalid_entry" | "insufficient_credits" | "negative_balance";
      balanceBefore: number;
    };

/** Whether `entry` may be appended to a ledger at `balanceBefore`: a balance never goes negative. */
export function validateEntry(balanceBefore: number, entry: LedgerEntry): EntryCheck {
  if (!LedgerEntrySchema.safeParse(entry).success) {
    return { ok: false, reason: "invalid_entry", balanceBefore };
  }
  const balanceAfter = balanceBefore + balanceDelta(entry);
  if (balanceAfter < 0) {
    const reason = entry.type === "spend" ? "insufficient_credits" : "negative_balance";
    return { ok: false, reason, balanceBefore };
  }
  return { ok: true, balanceAfter };
}
