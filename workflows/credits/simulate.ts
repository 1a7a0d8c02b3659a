/**
 * A pure fold over a pool's life: renewals, InMails, replies, purchases and corrections in time
 * order, producing the ledger the engine would write. Tests and the budget forecast use it to
 * replay months in a few milliseconds.
 */
import { type LedgerEntry, type LedgerTags, validateEntry } from "./ledger";
import type { CreditPool } from "./pool";
import { type InmailResponse, type RefundRefusal, refundDecision } from "./refunds";
import { renewalDates, renewalEntries } from "./renewal";

export type PoolEvent =
  /** An InMail send: spends one credit, refused when the pool is empty. */
  | { type: "inmail"; at: Date; inmailId: string; tags?: LedgerTags }
  | ({ type: "reply"; inmailId: string; recipientRestrictedOrClosed?: boolean } & InmailResponse)
  /** Add-on credits, bought in the plan's blocks. */
  | { type: "purchase"; at: Date; blocks: number }
  /** A signed correction, e.g. to match the balance LinkedIn reports. */
  | { type: "correction"; at: Date; amount: number; note?: string };

export type RefusedEvent = {
  event: PoolEvent;
  reason:
    | "insufficient_credits"
    | "negative_balance"
    | "invalid_entry"
    | "unknown_inmail"
    | "no_add_on_for_plan";
};

export interface PoolSimulation {
  entries: LedgerEntry[];
  /** Balance after each entry, index for index. */
  balances: number[];
  balance: number;
  refused: RefusedEvent[];
  /** Replies that earned no refund, and why. */
  withoutRefund: Array<{ event: PoolEvent; reason: RefundRefusal }>;
  /** Refunds decided but due at or after `to`. */
  pendingRefunds: Array<{ postAt: Date; inmailId: string }>;
}

interface SentInmail {
  at: Date;
  tags?: LedgerTags;
  refunded: boolean;
}

/**
 * Replays `events` (time-ordered) on `pool` from `from` to `to`. Renewals come from the pool's
 * anchor day. At one instant, due refunds post first, then the renewal, then the events, so a
 * refund landing on renewal day counts toward the cap like any earlier credit.
 */
export function simulateLedger({
  pool,
  from,
  to,
  events,
  openingBalance = 0,
}: {
  pool: CreditPool;
  from: Date;
  to: Date;
  events: readonly PoolEvent[];
  openingBalance?: number;
}): PoolSimulation {
  let previous = from.getTime();
  for (const event of events) {
    const at = event.at.getTime();
    if (at < previous || at >= to.getTime()) {
      throw new RangeError("pool events must be in time order, within [from, to)");
    }
    previous = at;
  }
  const sent = new Map<string, SentInmail>();
  const result: PoolSimulation = {
    entries: [],
    balances: [],
    balance: 0,
    refused: [],
    withoutRefund: [],
    pendingRefunds: [],
  };
  const post = (entry: LedgerEntry, event?: PoolEvent): boolean => {
    const check = validateEntry(result.balance, entry);
    if (!check.ok) {
      if (event) result.refused.push({ event, reason: check.reason });
      return false;
    }
    result.entries.push(entry);
    result.balance = check.balanceAfter;
    result.balances.push(check.balanceAfter);
    return true;
  };
  const postRefundsDueBy = (instant: number, inclusive: boolean) => {
    result.pendingRefunds.sort((a, b) => a.postAt.getTime() - b.postAt.getTime());
    while (result.pendingRefunds.length > 0) {
      const [due] = result.pendingRefunds;
      if (!due) break;
      const dueAt = due.postAt.getTime();
      if (inclusive ? dueAt > instant : dueAt >= instant) break;
      result.pendingRefunds.shift();
      const tags = sent.get(due.inmailId)?.tags;
      post({ at: due.postAt, type: "refund", amount: 1, ...(tags ? { tags } : {}) });
    }
  };

  if (openingBalance !== 0) {
    post({ at: from, type: "adjustment", amount: openingBalance, note: "opening balance" });
  }
  const renewals = renewalDates(pool.renewalAnchorDay, from, to, pool.timeZone);
  let nextRenewalIndex = 0;
  const renewUntil = (instant: number) => {
    for (let renewal = renewals[nextRenewalIndex]; renewal; renewal = renewals[nextRenewalIndex]) {
      if (renewal.getTime() > instant) return;
      postRefundsDueBy(renewal.getTime(), true);
      for (const entry of renewalEntries(result.balance, pool, renewal)) post(entry);
      nextRenewalIndex++;
    }
  };

  for (const event of events) {
    renewUntil(event.at.getTime());
    postRefundsDueBy(event.at.getTime(), true);
    applyEvent(event);
  }
  renewUntil(to.getTime() - 1);
  postRefundsDueBy(to.getTime(), false);
  return result;

  function applyEvent(event: PoolEvent): void {
    switch (event.type) {
      case "inmail": {
        const spend: LedgerEntry = {
          at: event.at,
          type: "spend",
          amount: 1,
          ...(event.tags ? { tags: event.tags } : {}),
        };
        if (post(spend, event)) {
          sent.set(event.inmailId, {
            at: event.at,
            refunded: false,
            ...(event.tags ? { tags: event.tags } : {}),
          });
        }
        return;
      }
      case "reply": {
        const inmail = sent.get(event.inmailId);
        if (!inmail) {
          result.refused.push({ event, reason: "unknown_inmail" });
          return;
        }
        const decision = refundDecision({
          policy: pool.refundPolicy,
          inmailSentAt: inmail.at,
          reply: event,
          recipientRestrictedOrClosed: event.recipientRestrictedOrClosed ?? false,
          alreadyRefunded: inmail.refunded,
        });
        if (!decision.refund) {
          result.withoutRefund.push({ event, reason: decision.reason });
          return;
        }
        inmail.refunded = true;
        result.pendingRefunds.push({ postAt: decision.postAt, inmailId: event.inmailId });
        return;
      }
      case "purchase": {
        if (pool.addOnBlockSize === null) {
          result.refused.push({ event, reason: "no_add_on_for_plan" });
          return;
        }
        const amount = event.blocks * pool.addOnBlockSize;
        post({ at: event.at, type: "purchase", amount }, event);
        return;
      }
      case "correction": {
        const note = event.note ? { note: event.note } : {};
        post({ at: event.at, type: "adjustment", amount: event.amount, ...note }, event);
        return;
      }
    }
  }
}
