import { UnipileClient } from "unipile-node-sdk";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeUnipile } from "@/test/fake-unipile/server";
import type { ProviderAccountRef, ProviderLeadRef } from "../types";
import { UnipileProvider } from "./adapter";

const account: ProviderAccountRef = { accountId: "seat-1", providerAccountId: "uni-acc-1" };
const at = new Date("2026-03-02T09:00:00Z");
const ctx = (key: string) => ({ idempotencyKey: key, at });

describe("Unipile adapter against the fake Unipile", () => {
  let fake: FakeUnipile;
  let provider: UnipileProvider;
  let chats: Map<string, string>;

  const lead = (publicIdentifier: string, providerId?: string | null): ProviderLeadRef => ({
    leadId: `lead-${publicIdentifier}`,
    publicIdentifier,
    providerId: providerId ?? null,
  });

  beforeAll(async () => {
    fake = await new FakeUnipile({ now: () => at }).start();
  });
  afterAll(async () => {
    await fake.stop();
  });
  afterEach(() => {
    fake.sends.length = 0;
  });

  function adapter(timeoutMs = 2_000) {
    chats = new Map();
    return new UnipileProvider({
      client: new UnipileClient(fake.baseUrl, fake.apiKey),
      timeoutMs,
      knownChatId: async (_account, l) => chats.get(l.leadId) ?? null,
    });
  }

  it("visits with notify=true and reads the profile into a snapshot", async () => {
    provider = adapter();
    const person = fake.person("ada-visit", { isOpenProfile: true, isPremium: true });
    const outcome = await provider.visit(account, lead("ada-visit"), ctx("k-visit"));
    expect(outcome).toMatchObject({
      status: "sent",
      profile: {
        providerId: person.providerId,
        networkDistance: 2,
        isOpenProfile: true,
        isPremium: true,
      },
    });
    expect(fake.sends).toEqual([
      expect.objectContaining({ kind: "visit", notify: true, providerId: person.providerId }),
    ]);
    const visit = fake.requests.findLast((r) => r.path.startsWith("/api/v1/users/ada-visit"));
    expect(visit?.query.get("notify")).toBe("true");
    expect(visit?.query.get("account_id")).toBe("uni-acc-1");
  });

  it("invites with the note, resolving the member id with a silent read first", async () => {
    provider = adapter();
    const person = fake.person("bo-invite");
    const outcome = await provider.invite(
      account,
      lead("bo-invite"),
      { note: "Hi Bo, happy to connect?" },
      ctx("k-inv"),
    );
    expect(outcome).toMatchObject({ status: "sent", profile: { providerId: person.providerId } });
    expect(fake.sends).toEqual([
      expect.objectContaining({ kind: "invite", note: "Hi Bo, happy to connect?" }),
    ]);
    // The read that found the member id was not a visit.
    expect(fake.sends.some((s) => s.kind === "visit")).toBe(false);
  });

  it("starts a chat for a first message and writes in that chat for the next", async () => {
    provider = adapter();
    const person = fake.person("cy-message", { networkDistance: "FIRST_DEGREE" });
    // The fake keeps every test's requests: only this test's are read below.
    const requestsBefore = fake.requests.length;
    const first = await provider.message(
      account,
      lead("cy-message", person.providerId),
      { text: "Hello Cy" },
      ctx("k-m1"),
    );
    expect(first).toMatchObject({ status: "sent" });
    const chatId = first.status === "sent" ? first.chatId : null;
    expect(chatId).toBeTruthy();
    chats.set("lead-cy-message", chatId!);
    const second = await provider.message(
      account,
      lead("cy-message", person.providerId),
      { text: "Following up" },
      ctx("k-m2"),
    );
    expect(second).toMatchObject({ status: "sent", chatId });
    expect(fake.sends.map((s) => [s.kind, s.chatId, s.text])).toEqual([
      ["message", chatId, "Hello Cy"],
      ["message", chatId, "Following up"],
    ]);
    const posts = fake.requests
      .slice(requestsBefore)
      .filter((r) => r.method === "POST" && r.path.includes("/chats"));
    expect(posts.map((r) => r.path)).toEqual(["/api/v1/chats", `/api/v1/chats/${chatId}/messages`]);
  });

  it("sends an InMail as a classic-API chat flagged InMail, with its subject", async () => {
    provider = adapter();
    const person = fake.person("di-inmail");
    const outcome = await provider.inmail(
      account,
      lead("di-inmail", person.providerId),
      { subject: "Quick question", body: "Hi Di" },
      ctx("k-in"),
    );
    expect(outcome).toMatchObject({ status: "sent" });
    expect(fake.sends).toEqual([
      expect.objectContaining({
        kind: "inmail",
        inmail: true,
        api: "classic",
        subject: "Quick question",
        text: "Hi Di",
      }),
    ]);
  });

  it("maps Unipile's refusals to the engine's outcomes", async () => {
    provider = adapter();
    const cases = [
      { failure: "insufficient_credits", expected: { status: "not_sent", reason: "no_credit" } },
      {
        failure: "not_allowed_inmail",
        expected: { status: "not_sent", reason: "recipient_refuses_inmail" },
      },
      { failure: "429", expected: { status: "limited" } },
      { failure: "5xx", expected: { status: "unknown" } },
    ] as const;
    for (const { failure, expected } of cases) {
      const id = `refusal-${failure}`;
      const person = fake.person(id);
      fake.fail({ call: "inmail", failure, lead: id });
      const outcome = await provider.inmail(
        account,
        lead(id, person.providerId),
        { subject: "S", body: "B" },
        ctx(`k-${id}`),
      );
      expect({ failure, outcome }).toMatchObject({ failure, outcome: expected });
    }
    fake.person("ev-invited");
    fake.fail({ call: "invite", failure: "already_invited_recently", lead: "ev-invited" });
    expect(
      await provider.invite(
        account,
        lead("ev-invited", fake.person("ev-invited").providerId),
        { note: null },
        ctx("k-ev"),
      ),
    ).toMatchObject({ status: "not_sent", reason: "already_invited" });
    expect(fake.sends).toEqual([]);
  });

  it("reports a restricted seat and keeps reporting it", async () => {
    provider = adapter();
    const restricted: ProviderAccountRef = { accountId: "seat-r", providerAccountId: "uni-acc-r" };
    fake.fail({ call: "visit", failure: "account_restricted", accountId: "uni-acc-r" });
    expect(await provider.visit(restricted, lead("fay-r"), ctx("k-r1"))).toMatchObject({
      status: "restricted",
    });
    expect(
      await provider.invite(restricted, lead("fay-r", "ACoFAY"), { note: null }, ctx("k-r2")),
    ).toMatchObject({ status: "restricted" });
  });

  it("a timeout is unknown, and reconciliation finds the invitation that went through", async () => {
    provider = adapter(150);
    const person = fake.person("gus-timeout");
    fake.fail({ call: "invite", failure: "timeout_after_send", lead: "gus-timeout" });
    const outcome = await provider.invite(
      account,
      lead("gus-timeout", person.providerId),
      { note: "Hi" },
      ctx("k-gus"),
    );
    expect(outcome).toMatchObject({ status: "unknown" });
    expect(
      await provider.reconcile(account, lead("gus-timeout", person.providerId), {
        kind: "connect",
        idempotencyKey: "k-gus",
        since: at,
      }),
    ).toMatchObject({ status: "sent", reference: expect.stringMatching(/^inv_/) });
  });

  it("a 5xx after the message went through is reconciled as sent; an unsent one as not sent", async () => {
    provider = adapter();
    const sent = fake.person("hal-5xx", { networkDistance: "FIRST_DEGREE" });
    fake.fail({ call: "start_chat", failure: "5xx_after_send", lead: "hal-5xx" });
    expect(
      await provider.message(account, lead("hal-5xx", sent.providerId), { text: "Hi" }, ctx("k1")),
    ).toMatchObject({ status: "unknown" });
    expect(
      await provider.reconcile(account, lead("hal-5xx", sent.providerId), {
        kind: "message",
        idempotencyKey: "k1",
        since: at,
      }),
    ).toMatchObject({ status: "sent", chatId: fake.chatWith("uni-acc-1", "hal-5xx") });

    const unsent = fake.person("ivy-lost", { networkDistance: "FIRST_DEGREE" });
    fake.fail({ call: "start_chat", failure: "5xx", lead: "ivy-lost" });
    expect(
      await provider.message(
        account,
        lead("ivy-lost", unsent.providerId),
        { text: "Hi" },
        ctx("k2"),
      ),
    ).toMatchObject({ status: "unknown" });
    expect(
      await provider.reconcile(account, lead("ivy-lost", unsent.providerId), {
        kind: "message",
        idempotencyKey: "k2",
        since: at,
      }),
    ).toEqual({ status: "not_sent" });
    expect(fake.sends.filter((s) => s.publicIdentifier === "ivy-lost")).toEqual([]);
  });

  it("reads the InMail balance and the newest relations", async () => {
    provider = adapter();
    fake.seat("uni-acc-1", { inmailBalance: 7 });
    expect(await provider.inmailBalance(account)).toBe(7);
    const person = fake.person("jo-accepts");
    await provider.invite(
      account,
      lead("jo-accepts", person.providerId),
      { note: null },
      ctx("kj"),
    );
    fake.accept("uni-acc-1", "jo-accepts", at);
    const relations = await provider.relationsSince(account, new Date(at.getTime() - 60_000));
    expect(relations).toContainEqual({
      providerId: person.providerId,
      publicIdentifier: "jo-accepts",
      at,
    });
  });

  it("withdraws a sent invitation through the SDK's cancel call; an unknown one is routed as not reachable", async () => {
    provider = adapter();
    fake.seat("uni-acc-1");
    fake.person("wil-withdraw");
    const invited = await provider.invite(
      account,
      lead("wil-withdraw"),
      { note: null },
      ctx("k-w"),
    );
    expect(invited.status).toBe("sent");
    const invitationId = invited.status === "sent" ? String(invited.reference) : "";
    const withdrawn = await provider.withdrawInvitation(account, invitationId, ctx("k-w2"));
    expect(withdrawn).toMatchObject({ status: "sent", reference: invitationId });
    const request = fake.requests.findLast((r) => r.method === "DELETE");
    expect(request?.path).toBe(`/api/v1/users/invite/sent/${invitationId}`);
    expect(request?.query.get("account_id")).toBe("uni-acc-1");
    expect(await provider.withdrawInvitation(account, invitationId, ctx("k-w3"))).toMatchObject({
      status: "not_sent",
      reason: "not_reachable",
    });
  });

  it("lists a chat's messages, newest first, telling the seat's own from the lead's", async () => {
    provider = adapter();
    fake.person("xia-chat", { networkDistance: "FIRST_DEGREE" });
    const sent = await provider.message(
      account,
      lead("xia-chat"),
      { text: "Hello Xia" },
      ctx("k-x"),
    );
    const chatId = sent.status === "sent" ? String(sent.chatId) : "";
    fake.reply("uni-acc-1", "xia-chat", "Hi there");
    const page = await provider.chatMessages(account, chatId, { limit: 10 });
    expect(page.items.map((m) => [m.text, m.own])).toEqual([
      ["Hi there", false],
      ["Hello Xia", true],
    ]);
    expect(page.cursor).toBeNull();
  });

  it("InMail through Sales Navigator looks the lead's ACw id up once and keeps it", async () => {
    provider = adapter();
    const saved = new Map<string, string>();
    const sn = new UnipileProvider({
      client: new UnipileClient(fake.baseUrl, fake.apiKey),
      apiIds: {
        find: async (_a, l, api) => saved.get(`${l.leadId}|${api}`) ?? null,
        save: async (_a, l, api, id) => {
          saved.set(`${l.leadId}|${api}`, id);
        },
      },
    });
    const seat = {
      ...account,
      providerAccountId: "uni-sn",
      linkedinApi: "sales_navigator" as const,
    };
    fake.seat("uni-sn", { salesNavigatorBalance: 3 });
    const person = fake.person("yan-sn");
    const first = await sn.inmail(
      seat,
      lead("yan-sn", person.providerId),
      { subject: "Hi", body: "Hello" },
      ctx("k-y1"),
    );
    expect(first.status).toBe("sent");
    expect(saved.get("lead-yan-sn|sales_navigator")).toBe(person.salesNavigatorId);
    const lookups = () =>
      fake.requests.filter((r) => r.query.get("linkedin_api") === "sales_navigator").length;
    const before = lookups();
    await sn.inmail(
      seat,
      lead("yan-sn", person.providerId),
      { subject: "Hi", body: "Again" },
      ctx("k-y2"),
    );
    expect(lookups()).toBe(before);
    expect(fake.inmailBalance("uni-sn", "sales_navigator")).toBe(1);
    expect(fake.refused).toEqual([]);
  });
});
