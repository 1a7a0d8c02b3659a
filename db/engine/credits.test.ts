import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { entryDelta } from "@/components/credits/format";
import { createTestDatabase, type TestDatabase } from "@/test/databases";
import { budgetKey } from "@/workflows/credits/budgets";
import { balanceDelta, creditsUsedDelta } from "@/workflows/credits/ledger";
import { branchCreditRows } from "@/workflows/credits/report";
import type { AnyGraph } from "@/workflows/graph/index";
import { starterTemplates } from "@/workflows/templates/index";
import { queryRows } from "../client";
import { creditsUsedSql, dailyBalances } from "../queries/credits";
import { creditsUsedByCampaign } from "../queries/dashboard";
import { ledgerBalance } from "../queries/pools";
import {
  action,
  campaign,
  creditLedger,
  creditPool,
  creditRefund,
  enrollmentStep,
  inboundEvent,
  workflowVersion,
} from "../schema/index";
import { prepareSimulation, runSimulation, type SimulationRun } from "./simulation";

// InMail credits on the engine, on the virtual clock: a Recruiter Lite pool (30 a month, at
// most 120, refunds on reply within 90 days posted a day later), renewing on the 10th, and a
// budget on the "not accepted" InMail branch.

const START = new Date("2026-03-02T07:00:00Z");
const DAY_MS = 86_400_000;
const BRANCH_BUDGET = 12;
const BRANCH = budgetKey("inmail", "accepted:no");

describe("InMail credits on the engine", () => {
  let handle: TestDatabase;
  let run: SimulationRun;

  beforeAll(async () => {
    handle = await createTestDatabase("pglite");
    const template = starterTemplates.find((t) => t.id === "connect-then-inmail")!;
    run = await prepareSimulation(handle, {
      graph: template.graph,
      accounts: [{ id: "acct-credits", pacing: { timeZone: "Europe/Paris" } }],
      pool: { plan: "recruiter_lite", balance: 100, renewalDay: 10 },
      leads: Array.from({ length: 60 }, (_, i) => ({
        publicIdentifier: `credit-lead-${i}`,
        firstName: `Lead${i}`,
      })),
      seed: "credits-test",
      start: START,
      days: 45,
      sandbox: {
        defaults: {
          acceptance: { probability: 0.3 },
          reply: { afterInmail: 0.5, afterMessage: 0.3 },
        },
      },
    });
    await handle.db
      .update(campaign)
      .set({ budgets: { campaign: null, branches: { [BRANCH]: BRANCH_BUDGET } } })
      .where(eq(campaign.id, run.campaignId));
    await runSimulation(handle, run);
  }, 300_000);
  afterAll(async () => {
    await handle?.destroy();
  });

  const ledger = () =>
    handle.db
      .select()
      .from(creditLedger)
      .where(eq(creditLedger.poolId, run.poolId!))
      .orderBy(asc(creditLedger.at), asc(creditLedger.id));

  it("keeps the pool's balance equal to its ledger", async () => {
    const entries = await ledger();
    const sign: Record<string, number> = {
      grant: 1,
      refund: 1,
      purchase: 1,
      adjustment: 1,
      spend: -1,
      // A forfeit records credits that never arrived: it moves nothing.
      forfeit: 0,
    };
    const fromLedger = entries.reduce((t, e) => t + sign[e.type]! * e.amount, 0);
    const [pool] = await handle.db.select().from(creditPool).where(eq(creditPool.id, run.poolId!));
    expect(pool!.balance).toBe(fromLedger);
    expect(pool!.balance).toBeGreaterThanOrEqual(0);
  });

  it("counts credits one way everywhere: the flush's budgets, the campaign list, the budget panel, the pool page", async () => {
    const entries = await ledger();
    const ws = run.workspaceId;
    // What the campaign used: the SQL fragment the flush checks budgets with, the campaign
    // list's query, the ledger's own function and the budget panel's rows.
    const [flushSql] = await queryRows<{ used: number | string }>(
      handle.db,
      sql`select coalesce(sum(${creditsUsedSql("l")}), 0) as used
            from credit_ledger l where l.campaign_id = ${run.campaignId}`,
    );
    const listed = (await creditsUsedByCampaign(handle.db, ws, [run.campaignId])).get(
      run.campaignId,
    );
    const inTs = entries
      .filter((e) => e.campaignId === run.campaignId)
      .reduce((t, e) => t + creditsUsedDelta(e), 0);
    const [version] = await handle.db
      .select()
      .from(workflowVersion)
      .where(eq(workflowVersion.campaignId, run.campaignId));
    const panel = branchCreditRows({
      graph: version!.graph as AnyGraph,
      attempts: [],
      ledger: entries
        .filter((e) => e.campaignId === run.campaignId && e.nodeId !== null)
        .map((e) => ({
          type: e.type,
          amount: e.amount,
          nodeId: e.nodeId!,
          branch: e.branch ?? "",
        })),
      pendingRefunds: [],
      replies: [],
      budgets: null,
    }).reduce((t, row) => t + row.net, 0);
    expect(inTs).toBeGreaterThan(0);
    expect(Number(flushSql?.used)).toBe(inTs);
    expect(listed).toBe(inTs);
    expect(panel).toBe(inTs);

    // The pool's balance: the stored balance, the SQL fragment, the ledger's own function, the
    // daily history's last point and the signed amounts the pool page shows.
    const [pool] = await handle.db.select().from(creditPool).where(eq(creditPool.id, run.poolId!));
    const fromTs = entries.reduce((t, e) => t + balanceDelta(e), 0);
    const shown = entries.reduce(
      (t, e) => t + Number(entryDelta(e.type, e.amount).replace("−", "-")),
      0,
    );
    const history = await dailyBalances(handle.db, ws, run.poolId!);
    expect(pool!.balance).toBe(fromTs);
    expect(await ledgerBalance(handle.db, ws, run.poolId!)).toBe(fromTs);
    expect(history.at(-1)?.balance).toBe(fromTs);
    expect(shown).toBe(fromTs);
  });

  it("stops paying for the branch at its budget: the rest take “not sent” for that reason", async () => {
    const entries = await ledger();
    const net = entries
      .filter((e) => e.nodeId === "inmail" && e.branch === "accepted:no")
      .reduce((t, e) => t + (e.type === "spend" ? e.amount : -e.amount), 0);
    // Refunds give budget back, so the net never passes it.
    expect(net).toBeLessThanOrEqual(BRANCH_BUDGET);
    const refused = await handle.db
      .select()
      .from(enrollmentStep)
      .where(
        and(
          eq(enrollmentStep.nodeId, "inmail"),
          eq(enrollmentStep.note, "not sent: budget_reached"),
        ),
      );
    expect(refused.length).toBeGreaterThan(0);
    for (const step of refused) {
      expect(step.exit).toBe("not_sent");
      expect(step.toNodeId).toBe("end-not-sent");
    }
    const paid = await handle.db
      .select()
      .from(action)
      .where(and(eq(action.campaignId, run.campaignId), eq(action.kind, "inmail")));
    expect(paid.filter((a) => a.status === "sent" && a.credits > 0).length).toBeGreaterThanOrEqual(
      BRANCH_BUDGET,
    );
  });

  it("renews on the anchor day: min(allowance, cap − balance) granted, the rest forfeited", async () => {
    const entries = await ledger();
    const renewals = entries.filter((e) => e.type === "grant" || e.type === "forfeit");
    const days = [...new Set(renewals.map((e) => e.at.toISOString()))];
    expect(days).toEqual(["2026-03-10T00:00:00.000Z", "2026-04-10T00:00:00.000Z"]);
    for (const day of days) {
      const at = new Date(day).getTime();
      const before = entries
        .filter((e) => e.at.getTime() < at)
        .reduce(
          (t, e) => t + (e.type === "spend" ? -1 : e.type === "forfeit" ? 0 : 1) * e.amount,
          0,
        );
      const grant = renewals.find((e) => e.type === "grant" && e.at.getTime() === at)?.amount ?? 0;
      const forfeit =
        renewals.find((e) => e.type === "forfeit" && e.at.getTime() === at)?.amount ?? 0;
      expect(grant).toBe(Math.max(0, Math.min(30, 120 - before)));
      expect(grant + forfeit).toBe(30);
    }
  });

  it("refunds a paid InMail once, a day after a reply in its thread within the window", async () => {
    const entries = await ledger();
    const refunds = entries.filter((e) => e.type === "refund");
    expect(refunds.length).toBeGreaterThan(0);
    const actionIds = refunds.map((r) => r.actionId);
    expect(new Set(actionIds).size).toBe(actionIds.length);
    const owed = await handle.db.select().from(creditRefund);
    for (const refund of refunds) {
      const [inmail] = await handle.db.select().from(action).where(eq(action.id, refund.actionId!));
      expect(inmail).toMatchObject({ kind: "inmail", status: "sent", credits: 1 });
      const replies = await handle.db
        .select()
        .from(inboundEvent)
        .where(
          and(
            eq(inboundEvent.leadId, inmail!.leadId),
            eq(inboundEvent.type, "replied"),
            eq(inboundEvent.chatId, inmail!.chatId!),
          ),
        );
      expect(replies.length).toBeGreaterThan(0);
      const reply = replies[0]!;
      expect(reply.occurredAt.getTime()).toBeGreaterThanOrEqual(inmail!.sentAt!.getTime());
      expect(refund.at.getTime()).toBe(reply.occurredAt.getTime() + DAY_MS);
      expect(refund.branch).toBe(inmail!.branch);
      expect(owed.find((o) => o.actionId === refund.actionId)?.postedAt?.getTime()).toBe(
        refund.at.getTime(),
      );
    }
    // Replies to messages (not InMails) earn nothing.
    const messageReplies = await handle.db
      .select()
      .from(action)
      .where(and(eq(action.campaignId, run.campaignId), eq(action.kind, "message")));
    for (const message of messageReplies) {
      expect(refunds.some((r) => r.actionId === message.id)).toBe(false);
    }
  });
});
