import { describe, expect, it } from "vitest";
import { balanceOf, type LedgerEntry, LedgerEntrySchema, validateEntry } from "./ledger";

const at = new Date("2025-01-15T00:00:00Z");

describe("balanceOf", () => {
  it("adds grants, refunds, purchases and signed adjustments, subtracts spends", () => {
    const entries: LedgerEntry[] = [
      { at, type: "grant", amount: 50 },
      { at, type: "spend", amount: 1, tags: { campaignId: "c1", branch: "not accepted" } },
      { at, type: "refund", amount: 1 },
      { at, type: "purchase", amount: 10 },
      { at, type: "adjustment", amount: -3 },
      { at, type: "adjustment", amount: 2 },
    ];
    expect(balanceOf(entries)).toBe(59);
  });

  it("ignores forfeits: they record credits that never arrived", () => {
    expect(
      balanceOf([
        { at, type: "grant", amount: 20 },
        { at, type: "forfeit", amount: 30 },
      ]),
    ).toBe(20);
  });
});

describe("LedgerEntrySchema", () => {
  it("requires a positive integer amount except for adjustments, which are signed", () => {
    const valid = (entry: object) => LedgerEntrySchema.safeParse({ at, ...entry }).success;
    expect(valid({ type: "spend", amount: 1 })).toBe(true);
    expect(valid({ type: "spend", amount: 0 })).toBe(false);
    expect(valid({ type: "spend", amount: -1 })).toBe(false);
    expect(valid({ type: "grant", amount: 1.5 })).toBe(false);
    expect(valid({ type: "adjustment", amount: -4 })).toBe(true);
    expect(valid({ type: "adjustment", amount: 0 })).toBe(false);
    expect(valid({ type: "bonus", amount: 1 })).toBe(false);
  });
});

describe("validateEntry", () => {
  it("refuses a spend that would take the balance below zero", () => {
    expect(validateEntry(0, { at, type: "spend", amount: 1 })).toEqual({
      ok: false,
      reason: "insufficient_credits",
      balanceBefore: 0,
    });
    expect(validateEntry(1, { at, type: "spend", amount: 1 })).toEqual({
      ok: true,
      balanceAfter: 0,
    });
  });

  it("refuses an adjustment with a negative result", () => {
    expect(validateEntry(3, { at, type: "adjustment", amount: -4 })).toMatchObject({
      ok: false,
      reason: "negative_balance",
    });
    expect(validateEntry(3, { at, type: "adjustment", amount: -3 })).toEqual({
      ok: true,
      balanceAfter: 0,
    });
  });

  it("refuses malformed entries instead of trusting the type system at runtime", () => {
    expect(validateEntry(10, { at, type: "spend", amount: -5 })).toMatchObject({
      ok: false,
      reason: "invalid_entry",
    });
  });
});
