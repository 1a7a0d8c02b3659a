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
 * The ledger's arithmetic, in one place: per entry type, the sign its amount takes in a pool's
 * balance, and in the credits a campaign used. A forfeit moves nothing: it records credits of a
 * renewal that never arrived because the pool was at its cap. A campaign used what its sends
 * spent, less what came back for them (a refund, a hold given back); only entries tied to an
 * action count, so a person's correction to a pool is never charged to a campaign.
 * `db/queries/credits.ts` turns the same tables into SQL; the ledger's triggers spell them out
 * again (migrations 0016 for the used credits, 0025 for the balance per day).
 */
export const BALANCE_SIGN: Readonly<Record<LedgerEntryType, -1 | 0 | 1>> = {
  grant: 1,
  refund: 1,
  purchase: 1,
  adjustment: 1,
  spend: -1,
  forfeit: 0,
};
export const USED_SIGN: Readonly<Record<LedgerEntryType, -1 | 0 | 1>> = {
  spend: 1,
  refund: -1,
  adjustment: -1,
  grant: 0,
  purchase: 0,
  forfeit: 0,
};

const signOf = (table: Readonly<Record<LedgerEntryType, number>>, type: string) =>
  (table as Record<string, number>)[type] ?? 0;

/** How an entry moves its pool's balance. */
export function balanceDelta(entry: { type: string; amount: number }): number {
  return signOf(BALANCE_SIGN, entry.type) * entry.amount;
}

/** What an entry adds to the credits its campaign used (0 for one tied to no action). */
export function creditsUsedDelta(entry: {
  type: string;
  amount: number;
  actionId: string | null | undefined;
}): number {
  if (!entry.actionId) return 0;
  return signOf(USED_SIGN, entry.type) * entry.amount;
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
