import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCampaign, createSenderAccount, enrollLeads, upsertLeads } from "@/db/queries/launch";
import { conversation, enrollment, senderAccount } from "@/db/schema/index";
import { signUp } from "@/test/auth-helpers";
import {
  BACKENDS,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";
import { buildGraph } from "@/workflows/graph/builder";
import { type Caller, resolveCaller } from "../http/guard";
import { exportSelectedLeads } from "./export-selected-leads";
import { listLeads, listLeadsInput } from "./list-leads";

describe.each(BACKENDS)("the leads list's reply filter on %s", (backend) => {
  let database: TestDatabase;
  let caller: Caller;
  let stranger: Caller;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    caller = await resolveCaller(
      new Headers({ cookie: (await signUp("Rita Reply", "rita@example.com")).cookie }),
    );
    stranger = await resolveCaller(
      new Headers({ cookie: (await signUp("Sam Other", "sam@example.com")).cookie }),
    );
    for (const [who, names] of [
      [caller, ["keen", "cold", "silent"]],
      [stranger, ["elsewhere"]],
    ] as const) {
      const ws = who.workspace.workspaceId;
      const seat = await createSenderAccount(database.db, ws, {
        name: "Seat",
        provider: "sandbox",
        providerAccountId: `seat-${names[0]}`,
        pacing: { timeZone: "Europe/Paris" },
      });
      const ids = await upsertLeads(
        database.db,
        ws,
        names.map((n) => ({ publicIdentifier: `reply-${n}` })),
      );
      const categories = ["interested", "not_interested", null];
      await database.db.insert(conversation).values(
        ids.map((leadId, i) => ({
          id: `conv-${names[i]}`,
          workspaceId: ws,
          accountId: seat,
          leadId,
          lastMessageAt: new Date("2026-03-02T10:00:00Z"),
          hasReply: categories[i] !== null,
          category: who === stranger ? "interested" : categories[i],
        })),
      );
    }
  });
  afterAll(async () => {
    await database?.destroy();
  });

  const list = (who: Caller, replyCategory: string) =>
    listLeads(who, listLeadsInput.parse({ replyCategory }));

  it("keeps only the leads whose newest reply has that category", async () => {
    const interested = await list(caller, "interested");
    expect(interested.leads.map((l) => l.publicIdentifier)).toEqual(["reply-keen"]);
    const notInterested = await list(caller, "not_interested");
    expect(notInterested.leads.map((l) => l.publicIdentifier)).toEqual(["reply-cold"]);
    expect((await list(caller, "out_of_office")).total).toBe(0);
  });

  it("never shows another workspace's leads", async () => {
    const theirs = await list(stranger, "interested");
    expect(theirs.leads.map((l) => l.publicIdentifier)).toEqual(["reply-elsewhere"]);
  });

  it("refuses a category that does not exist", () => {
    expect(listLeadsInput.safeParse({ replyCategory: "spam" }).success).toBe(false);
    expect(listLeadsInput.safeParse({ replyCategory: "x".repeat(5000) }).success).toBe(false);
  });
});

describe.each(BACKENDS)("the leads list says why each lead waits, on %s", (backend) => {
  let database: TestDatabase;
  let caller: Caller;
  let campaignId: string;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    caller = await resolveCaller(
      new Headers({ cookie: (await signUp("Walt Wait", "walt@example.com")).cookie }),
    );
    const ws = caller.workspace.workspaceId;
    const seat = await createSenderAccount(database.db, ws, {
      name: "Walt's seat",
      provider: "sandbox",
      providerAccountId: "seat-walt",
      pacing: { timeZone: "Europe/Paris" },
    });
    ({ campaignId } = await createCampaign(database.db, ws, {
      name: "Visits",
      graph: buildGraph()
        .node("start", "start")
        .node("visit", "visit")
        .node("end", "end", { outcome: "visited" })
        .chain("start", "visit", "end")
        .build(),
      accountIds: [seat],
      seed: "waiting-list",
    }));
    const [waiting, finished] = await upsertLeads(database.db, ws, [
      { publicIdentifier: "walt-lead" },
      { publicIdentifier: "walt-done" },
    ]);
    await enrollLeads(database.db, ws, campaignId, [waiting!, finished!], { now: new Date() });
    await database.db
      .update(enrollment)
      .set({ nodeId: "visit" })
      .where(eq(enrollment.leadId, waiting!));
    await database.db
      .update(enrollment)
      .set({ nodeId: "end", state: "done", outcome: "visited" })
      .where(eq(enrollment.leadId, finished!));
    // The seat is paused by a person: that is why the lead at Visit waits.
    await database.db
      .update(senderAccount)
      .set({ status: "paused" })
      .where(eq(senderAccount.id, seat));
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it("lists the leads at a step with the reason they wait there", async () => {
    const listed = await listLeads(caller, listLeadsInput.parse({ campaignId, stepId: "visit" }));
    expect(listed.leads.map((l) => [l.publicIdentifier, l.campaigns])).toEqual([
      [
        "walt-lead",
        [
          {
            campaignId,
            name: "Visits",
            state: "active",
            paused: false,
            waiting: "Seat Walt's seat paused",
          },
        ],
      ],
    ]);
  });

  it("filters a campaign's leads by why they wait, for the list and for every-match exports", async () => {
    const paused = await listLeads(
      caller,
      listLeadsInput.parse({ campaignId, waiting: "seat_paused" }),
    );
    expect(paused.leads.map((l) => l.publicIdentifier)).toEqual(["walt-lead"]);
    expect(paused.waitingCapped).toBe(false);
    const due = await listLeads(caller, listLeadsInput.parse({ campaignId, waiting: "due" }));
    expect(due.leads).toEqual([]);
    // "Every lead the filters match" reads the same filter.
    const { csv } = await exportSelectedLeads(caller, {
      filter: { campaignId, waiting: "seat_paused" },
    });
    expect(csv).toContain("walt-lead");
    expect(csv).not.toContain("walt-done");
  });

  it("refuses an unknown reason, and another workspace's campaign", async () => {
    expect(listLeadsInput.safeParse({ campaignId, waiting: "bored" }).success).toBe(false);
    const stranger = await resolveCaller(
      new Headers({ cookie: (await signUp("Xena Else", "xena@example.com")).cookie }),
    );
    await expect(
      listLeads(stranger, listLeadsInput.parse({ campaignId, waiting: "seat_paused" })),
    ).rejects.toMatchObject({ status: 404 });
  });

  it("says nothing of a lead no longer in progress", async () => {
    const listed = await listLeads(caller, listLeadsInput.parse({ campaignId }));
    const done = listed.leads.find((l) => l.publicIdentifier === "walt-done");
    expect(done?.campaigns).toEqual([
      { campaignId, name: "Visits", state: "done", paused: false, waiting: null },
    ]);
  });
});
