import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordInboundMessage } from "@/db/inbox/messages";
import { upsertLeads } from "@/db/queries/launch";
import { blocklistEntry, message, user } from "@/db/schema/index";
import { callRoute as call, joinAsMember, signUp } from "@/test/auth-helpers";
import {
  BACKENDS,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";
import { classifyReply } from "@/workflows/replies/index";
import { resolveCaller } from "../http/guard";

const listRoute = await import("@/app/api/inbox/route");
const unreadRoute = await import("@/app/api/inbox/unread/route");
const threadRoute = await import("@/app/api/inbox/[conversationId]/route");
const answerRoute = await import("@/app/api/inbox/[conversationId]/answer/route");
const categoryRoute = await import("@/app/api/inbox/messages/[messageId]/category/route");
const accountsRoute = await import("@/app/api/accounts/route");
const campaignsRoute = await import("@/app/api/campaigns/route");
const replySettingsRoute = await import("@/app/api/campaigns/[campaignId]/reply-settings/route");
const repliesRoute = await import("@/app/api/campaigns/[campaignId]/replies/route");

describe.each(BACKENDS)("the inbox routes on %s", (backend) => {
  let database: TestDatabase;
  let ada: { cookie: string; workspaceId: string; userId: string };
  let bob: { cookie: string };
  let dave: { cookie: string; userId: string };
  let erin: { cookie: string; userId: string };
  let conversationId: string;
  let replyId: string;
  let accountId: string;

  const userIdOf = async (email: string) =>
    (await database.db.select().from(user).where(eq(user.email, email)))[0]?.id ?? "";

  const workspaceOf = async (cookie: string) =>
    (await resolveCaller(new Headers({ cookie }))).workspace.workspaceId;

  /** Grace Hopper's interested reply, received on the given seat. */
  async function recordGracesReply(workspaceId: string, seatId: string) {
    const [leadId] = await upsertLeads(database.db, workspaceId, [
      { publicIdentifier: "grace-hopper", firstName: "Grace", lastName: "Hopper" },
    ]);
    const at = new Date("2026-03-03T10:00:00Z");
    await database.db.transaction((tx) =>
      recordInboundMessage(tx, {
        workspaceId,
        accountId: seatId,
        leadId: leadId as string,
        chatId: "chat-1",
        providerMessageId: "msg-1",
        text: "Sounds good, tell me more about pricing",
        at,
        senderName: "Grace Hopper",
        classification: classifyReply("Sounds good, tell me more about pricing", {
          referenceDate: at,
        }),
      }),
    );
  }

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    const adaSession = await signUp("Ada Lovelace", "ada@example.com");
    bob = await signUp("Bob Byron", "bob@example.com");
    const daveSession = await signUp("Dave Ng", "dave@example.com");
    const erinSession = await signUp("Erin Diaz", "erin@example.com");
    ada = {
      cookie: adaSession.cookie,
      workspaceId: await workspaceOf(adaSession.cookie),
      userId: await userIdOf("ada@example.com"),
    };
    expect((await joinAsMember(ada.cookie, daveSession.cookie, "dave@example.com")).status).toBe(
      200,
    );
    expect((await joinAsMember(ada.cookie, erinSession.cookie, "erin@example.com")).status).toBe(
      200,
    );
    dave = { cookie: daveSession.cookie, userId: await userIdOf("dave@example.com") };
    erin = { cookie: erinSession.cookie, userId: await userIdOf("erin@example.com") };
    const account = await call(accountsRoute.POST, "/api/accounts", {
      method: "POST",
      cookie: ada.cookie,
      body: { name: "Ada's seat", timeZone: "Europe/Paris" },
    });
    expect(account.status).toBe(201);
    accountId = account.body.id;
    await recordGracesReply(ada.workspaceId, accountId);
    const list = await call(listRoute.GET, "/api/inbox", { cookie: ada.cookie });
    conversationId = list.body.items[0].id;
    const thread = await call(threadRoute.GET, `/api/inbox/${conversationId}`, {
      cookie: ada.cookie,
      params: { conversationId },
    });
    replyId = thread.body.messages[0].id;
  });

  afterAll(async () => {
    await database?.destroy();
  });

  it("members see the workspace's conversations, newest first, with the unread count", async () => {
    // A workspace of its own: the other tests read, file and correct Ada's conversation.
    const owner = await signUp("Fay Owner", "fay@example.com");
    const member = await signUp("Gus Member", "gus@example.com");
    expect((await joinAsMember(owner.cookie, member.cookie, "gus@example.com")).status).toBe(200);
    const seat = await call(accountsRoute.POST, "/api/accounts", {
      method: "POST",
      cookie: owner.cookie,
      body: { name: "Fay's seat", timeZone: "Europe/Paris" },
    });
    expect(seat.status).toBe(201);
    await recordGracesReply(await workspaceOf(owner.cookie), seat.body.id);
    const list = await call(listRoute.GET, "/api/inbox", { cookie: member.cookie });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({
      lead: { name: "Grace Hopper" },
      unread: true,
      category: "interested",
      preview: "Sounds good, tell me more about pricing",
    });
    expect(
      (await call(unreadRoute.GET, "/api/inbox/unread", { cookie: member.cookie })).body,
    ).toEqual({
      unread: 1,
    });
    const filtered = await call(listRoute.GET, "/api/inbox?category=not_interested", {
      cookie: member.cookie,
    });
    expect(filtered.body.items).toHaveLength(0);
  });

  it("refuses another workspace's conversation and reply ids with 404", async () => {
    const params = { conversationId };
    expect(
      (await call(threadRoute.GET, `/api/inbox/${conversationId}`, { cookie: bob.cookie, params }))
        .status,
    ).toBe(404);
    const patch = await call(threadRoute.PATCH, `/api/inbox/${conversationId}`, {
      method: "PATCH",
      cookie: bob.cookie,
      params,
      body: { read: true },
    });
    expect(patch.status).toBe(404);
    const answer = await call(answerRoute.POST, `/api/inbox/${conversationId}/answer`, {
      method: "POST",
      cookie: bob.cookie,
      params,
      body: { text: "hi", idempotencyKey: "bob-key-123" },
    });
    expect(answer.status).toBe(404);
    const correct = await call(categoryRoute.POST, `/api/inbox/messages/${replyId}/category`, {
      method: "POST",
      cookie: bob.cookie,
      params: { messageId: replyId },
      body: { category: "other" },
    });
    expect(correct.status).toBe(404);
    expect((await call(listRoute.GET, "/api/inbox", { cookie: bob.cookie })).body.items).toEqual(
      [],
    );
  });

  it("marks read and done; only the assignee or an admin reassigns", async () => {
    const params = { conversationId };
    const patch = (cookie: string, body: unknown) =>
      call(threadRoute.PATCH, `/api/inbox/${conversationId}`, {
        method: "PATCH",
        cookie,
        params,
        body,
      });
    expect((await patch(dave.cookie, { read: true })).body).toMatchObject({ unread: false });
    // Unassigned: any member takes it.
    expect((await patch(dave.cookie, { assigneeId: dave.userId })).body).toMatchObject({
      assignee: { id: dave.userId, name: "Dave Ng" },
    });
    const mine = await call(listRoute.GET, "/api/inbox?assignedToMe=true", { cookie: dave.cookie });
    expect(mine.body.items).toHaveLength(1);
    expect(
      (await call(listRoute.GET, "/api/inbox?assignedToMe=true", { cookie: erin.cookie })).body
        .items,
    ).toHaveLength(0);
    // Erin, a member who is not the assignee, cannot take it over.
    expect((await patch(erin.cookie, { assigneeId: erin.userId })).status).toBe(403);
    // Dave hands it to Erin; Ada (the owner) can reassign whatever the assignee.
    expect((await patch(dave.cookie, { assigneeId: erin.userId })).status).toBe(200);
    expect((await patch(ada.cookie, { assigneeId: ada.userId })).body.assignee.id).toBe(ada.userId);
    // Nobody outside the workspace can be assigned.
    expect(
      (await patch(ada.cookie, { assigneeId: await userIdOf("bob@example.com") })).status,
    ).toBe(404);
    expect((await patch(ada.cookie, { done: true })).body.done).toBe(true);
    expect(
      (await call(listRoute.GET, "/api/inbox", { cookie: ada.cookie })).body.items,
    ).toHaveLength(0);
    expect((await patch(ada.cookie, { done: false })).body.done).toBe(false);
  });

  it("keeps a person's correction of the category beside what the classifier read", async () => {
    const correct = await call(categoryRoute.POST, `/api/inbox/messages/${replyId}/category`, {
      method: "POST",
      cookie: dave.cookie,
      params: { messageId: replyId },
      body: { category: "not_interested" },
    });
    expect(correct.status).toBe(200);
    const [row] = await database.db.select().from(message).where(eq(message.id, replyId));
    expect(row).toMatchObject({ category: "interested", correctedCategory: "not_interested" });
    const thread = await call(threadRoute.GET, `/api/inbox/${conversationId}`, {
      cookie: ada.cookie,
      params: { conversationId },
    });
    expect(thread.body.messages).toHaveLength(1);
    expect(thread.body.messages[0]).toMatchObject({
      category: "not_interested",
      classifiedAs: "interested",
      corrected: true,
    });
    expect(thread.body.conversation.category).toBe("not_interested");
    // Corrected to unsubscribe, the person goes on the blocklist.
    await call(categoryRoute.POST, `/api/inbox/messages/${replyId}/category`, {
      method: "POST",
      cookie: dave.cookie,
      params: { messageId: replyId },
      body: { category: "unsubscribe" },
    });
    const blocked = await database.db
      .select()
      .from(blocklistEntry)
      .where(eq(blocklistEntry.workspaceId, ada.workspaceId));
    expect(blocked.map((b) => b.publicIdentifier)).toEqual(["grace-hopper"]);
  });

  it("refuses an answer without text or with a malformed key", async () => {
    const params = { conversationId };
    const bad = await call(answerRoute.POST, `/api/inbox/${conversationId}/answer`, {
      method: "POST",
      cookie: ada.cookie,
      params,
      body: { text: "  ", idempotencyKey: "short" },
    });
    expect(bad.status).toBe(400);
  });

  it("lets admins choose what out-of-office replies do, and counts replies by category", async () => {
    const created = await call(campaignsRoute.POST, "/api/campaigns", {
      method: "POST",
      cookie: ada.cookie,
      body: { name: "Founders", templateId: "connect-then-follow-up", accountIds: [accountId] },
    });
    expect(created.status).toBe(201);
    const campaignId = created.body.id as string;
    const params = { campaignId };
    const put = (cookie: string) =>
      call(replySettingsRoute.PUT, `/api/campaigns/${campaignId}/reply-settings`, {
        method: "PUT",
        cookie,
        params,
        body: { outOfOfficeAsReply: true, outOfOfficePauseDays: 10 },
      });
    expect((await put(dave.cookie)).status).toBe(403);
    expect((await put(bob.cookie)).status).toBe(404);
    expect((await put(ada.cookie)).body).toEqual({
      outOfOfficeAsReply: true,
      outOfOfficePauseDays: 10,
    });
    const replies = await call(repliesRoute.GET, `/api/campaigns/${campaignId}/replies`, {
      cookie: dave.cookie,
      params,
    });
    expect(replies.body).toMatchObject({ contacted: 0, replied: 0, replyRate: null });
    expect(
      (
        await call(repliesRoute.GET, `/api/campaigns/${campaignId}/replies`, {
          cookie: bob.cookie,
          params,
        })
      ).status,
    ).toBe(404);
  });
});
