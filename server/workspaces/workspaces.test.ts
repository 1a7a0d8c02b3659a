import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { invitation, member, session } from "@/db/schema/index";
import {
  apiRequest,
  authRequest,
  nextClientAddress,
  routeParams,
  signIn,
  signUp,
} from "@/test/auth-helpers";
import {
  BACKENDS,
  createTestDatabase,
  installProcessDatabase,
  type TestDatabase,
} from "@/test/databases";
import { actAs } from "@/test/request-headers";

const actions = await import("@/app/(app)/actions");
const workspacesRoute = await import("@/app/api/workspaces/route");
const activeRoute = await import("@/app/api/workspaces/active/route");
const workspaceRoute = await import("@/app/api/workspace/route");
const membersRoute = await import("@/app/api/workspace/members/route");
const memberRoute = await import("@/app/api/workspace/members/[memberId]/route");
const invitationsRoute = await import("@/app/api/workspace/invitations/route");
const invitationRoute = await import("@/app/api/workspace/invitations/[invitationId]/route");
const acceptRoute = await import("@/app/api/invitations/[token]/accept/route");

describe.each(BACKENDS)("workspaces on %s", (backend) => {
  let database: TestDatabase;
  let ada: {
    cookie: string;
    workspaceId: string;
    memberId: string;
    invitationId: string;
    invitationToken: string;
  };
  let bob: { cookie: string; workspaceId: string };

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    installProcessDatabase(database);
    const adaSession = await signUp("Ada Lovelace", "ada@example.com");
    const bobSession = await signUp("Bob Byron", "bob@example.com");
    const adaWorkspace = (await (
      await workspaceRoute.GET(
        apiRequest("/api/workspace", { cookie: adaSession.cookie }),
        routeParams({}),
      )
    ).json()) as { id: string };
    const bobWorkspace = (await (
      await workspaceRoute.GET(
        apiRequest("/api/workspace", { cookie: bobSession.cookie }),
        routeParams({}),
      )
    ).json()) as { id: string };
    const [adaMember] = await database.db
      .select()
      .from(member)
      .where(eq(member.organizationId, adaWorkspace.id));
    const invited = await invitationsRoute.POST(
      apiRequest("/api/workspace/invitations", {
        method: "POST",
        cookie: adaSession.cookie,
        body: { email: "carol@example.com", role: "admin" },
      }),
      routeParams({}),
    );
    expect(invited.status).toBe(201);
    const invitationBody = (await invited.json()) as { id: string; token: string };
    ada = {
      cookie: adaSession.cookie,
      workspaceId: adaWorkspace.id,
      memberId: adaMember!.id,
      invitationId: invitationBody.id,
      invitationToken: invitationBody.token,
    };
    bob = { cookie: bobSession.cookie, workspaceId: bobWorkspace.id };
  });

  afterAll(async () => {
    await database?.destroy();
  });

  beforeEach(() => actAs(""));

  it("signing up creates the user's own workspace with them as owner", async () => {
    const response = await workspaceRoute.GET(
      apiRequest("/api/workspace", { cookie: ada.cookie }),
      routeParams({}),
    );
    expect(await response.json()).toMatchObject({ name: "Ada's workspace", role: "owner" });
    expect(ada.workspaceId).not.toBe(bob.workspaceId);
  });

  describe("another workspace's ids are refused with 404 and nothing changes", () => {
    it("route: change the role of a member of another workspace", async () => {
      const response = await memberRoute.PATCH(
        apiRequest(`/api/workspace/members/${ada.memberId}`, {
          method: "PATCH",
          cookie: bob.cookie,
          body: { role: "member" },
        }),
        routeParams({ memberId: ada.memberId }),
      );
      expect(response.status).toBe(404);
    });

    it("route: remove a member of another workspace", async () => {
      const response = await memberRoute.DELETE(
        apiRequest(`/api/workspace/members/${ada.memberId}`, {
          method: "DELETE",
          cookie: bob.cookie,
        }),
        routeParams({ memberId: ada.memberId }),
      );
      expect(response.status).toBe(404);
    });

    it("route: revoke another workspace's invitation", async () => {
      const response = await invitationRoute.DELETE(
        apiRequest(`/api/workspace/invitations/${ada.invitationId}`, {
          method: "DELETE",
          cookie: bob.cookie,
        }),
        routeParams({ invitationId: ada.invitationId }),
      );
      expect(response.status).toBe(404);
    });

    it("route: accept an invitation addressed to someone else", async () => {
      const response = await acceptRoute.POST(
        apiRequest(`/api/invitations/${ada.invitationToken}/accept`, {
          method: "POST",
          cookie: bob.cookie,
        }),
        routeParams({ token: ada.invitationToken }),
      );
      expect(response.status).toBe(404);
    });

    it("route: switch to a workspace one is not a member of", async () => {
      const response = await activeRoute.POST(
        apiRequest("/api/workspaces/active", {
          method: "POST",
          cookie: bob.cookie,
          body: { workspaceId: ada.workspaceId },
        }),
        routeParams({}),
      );
      expect(response.status).toBe(404);
    });

    it("route: lists show only the caller's workspace", async () => {
      const members = await (
        await membersRoute.GET(
          apiRequest("/api/workspace/members", { cookie: bob.cookie }),
          routeParams({}),
        )
      ).json();
      expect(members.members.map((m: { email: string }) => m.email)).toEqual(["bob@example.com"]);
      const invitations = await (
        await invitationsRoute.GET(
          apiRequest("/api/workspace/invitations", { cookie: bob.cookie }),
          routeParams({}),
        )
      ).json();
      expect(invitations.invitations).toEqual([]);
      const workspaces = await (
        await workspacesRoute.GET(
          apiRequest("/api/workspaces", { cookie: bob.cookie }),
          routeParams({}),
        )
      ).json();
      expect(workspaces.workspaces.map((w: { id: string }) => w.id)).toEqual([bob.workspaceId]);
    });

    it("server actions: every action refuses the other workspace's ids", async () => {
      actAs(bob.cookie);
      const results = await Promise.all([
        actions.changeMemberRoleAction({ memberId: ada.memberId, role: "member" }),
        actions.removeMemberAction({ memberId: ada.memberId }),
        actions.revokeInvitationAction({ invitationId: ada.invitationId }),
        actions.acceptInvitationAction({ token: ada.invitationToken }),
        actions.switchWorkspaceAction({ workspaceId: ada.workspaceId }),
      ]);
      for (const result of results) {
        expect(result).toMatchObject({ ok: false, error: { code: "not_found" } });
      }
    });

    it("leaves the other workspace's rows untouched", async () => {
      const [adaMember] = await database.db
        .select()
        .from(member)
        .where(eq(member.id, ada.memberId));
      expect(adaMember?.role).toBe("owner");
      const [pending] = await database.db
        .select()
        .from(invitation)
        .where(eq(invitation.id, ada.invitationId));
      expect(pending?.status).toBe("pending");
    });
  });

  it("answers 401 JSON to unauthenticated calls on every route", async () => {
    const calls: Array<Promise<Response>> = [
      workspacesRoute.GET(apiRequest("/api/workspaces"), routeParams({})),
      workspacesRoute.POST(
        apiRequest("/api/workspaces", { method: "POST", body: { name: "X" } }),
        routeParams({}),
      ),
      activeRoute.POST(
        apiRequest("/api/workspaces/active", { method: "POST", body: {} }),
        routeParams({}),
      ),
      workspaceRoute.GET(apiRequest("/api/workspace"), routeParams({})),
      membersRoute.GET(apiRequest("/api/workspace/members"), routeParams({})),
      memberRoute.PATCH(
        apiRequest("/api/workspace/members/x", { method: "PATCH", body: {} }),
        routeParams({ memberId: "x" }),
      ),
      memberRoute.DELETE(
        apiRequest("/api/workspace/members/x", { method: "DELETE" }),
        routeParams({ memberId: "x" }),
      ),
      invitationsRoute.GET(apiRequest("/api/workspace/invitations"), routeParams({})),
      invitationsRoute.POST(
        apiRequest("/api/workspace/invitations", { method: "POST", body: {} }),
        routeParams({}),
      ),
      invitationRoute.DELETE(
        apiRequest("/api/workspace/invitations/x", { method: "DELETE" }),
        routeParams({ invitationId: "x" }),
      ),
      acceptRoute.POST(
        apiRequest("/api/invitations/x/accept", { method: "POST" }),
        routeParams({ token: "x" }),
      ),
    ];
    for (const response of await Promise.all(calls)) {
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: "unauthenticated" } });
    }
    const action = await actions.inviteMemberAction({ email: "x@example.com", role: "member" });
    expect(action).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
  });

  it("says the session expired when the cookie's session is past its expiry", async () => {
    const { cookie } = await signIn("bob@example.com");
    const token = decodeURIComponent(cookie.split("=")[1] ?? "").split(".")[0] ?? "";
    await database.db
      .update(session)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(session.token, token));
    const response = await workspaceRoute.GET(
      apiRequest("/api/workspace", { cookie }),
      routeParams({}),
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "session_expired" } });
  });

  it("rejects bad input with a clear 400 naming the field", async () => {
    const response = await invitationsRoute.POST(
      apiRequest("/api/workspace/invitations", {
        method: "POST",
        cookie: ada.cookie,
        body: { email: "not-an-email" },
      }),
      routeParams({}),
    );
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe("invalid_input");
    expect(body.error.fieldErrors.email).toEqual(["Enter a valid email address."]);
  });

  it("an invited teammate joins with the invited role, and a member cannot invite", async () => {
    const dave = await signUp("Dave Ng", "dave@example.com");
    const invited = await (
      await invitationsRoute.POST(
        apiRequest("/api/workspace/invitations", {
          method: "POST",
          cookie: ada.cookie,
          body: { email: "dave@example.com", role: "member" },
        }),
        routeParams({}),
      )
    ).json();
    const accepted = await acceptRoute.POST(
      apiRequest(`/api/invitations/${invited.token}/accept`, {
        method: "POST",
        cookie: dave.cookie,
      }),
      routeParams({ token: invited.token }),
    );
    expect(accepted.status).toBe(200);
    const current = await (
      await workspaceRoute.GET(
        apiRequest("/api/workspace", { cookie: dave.cookie }),
        routeParams({}),
      )
    ).json();
    expect(current).toMatchObject({ id: ada.workspaceId, role: "member" });

    const refused = await invitationsRoute.POST(
      apiRequest("/api/workspace/invitations", {
        method: "POST",
        cookie: dave.cookie,
        body: { email: "eve@example.com" },
      }),
      routeParams({}),
    );
    expect(refused.status).toBe(403);

    // Switching back to the workspace created at sign-up works for a member of both.
    const own = await (
      await workspacesRoute.GET(
        apiRequest("/api/workspaces", { cookie: dave.cookie }),
        routeParams({}),
      )
    ).json();
    const daveOwn = own.workspaces.find((w: { id: string }) => w.id !== ada.workspaceId);
    const switched = await activeRoute.POST(
      apiRequest("/api/workspaces/active", {
        method: "POST",
        cookie: dave.cookie,
        body: { workspaceId: daveOwn.id },
      }),
      routeParams({}),
    );
    expect(switched.status).toBe(200);
  });

  it("refuses to demote the last owner", async () => {
    actAs(ada.cookie);
    const result = await actions.changeMemberRoleAction({ memberId: ada.memberId, role: "admin" });
    expect(result).toMatchObject({ ok: false, error: { code: "conflict" } });
  });
});

describe("sign-up and sign-in errors", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase("pglite");
    installProcessDatabase(database);
    await signUp("Erin Weiss", "erin@example.com");
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it("refuses an email already used", async () => {
    const response = await authRequest("/sign-up/email", {
      name: "Erin Again",
      email: "erin@example.com",
      password: "correct-horse-42",
    });
    expect(response.status).toBe(422);
    expect((await response.json()).code).toBe("USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL");
  });

  it.each([
    ["short", "Use at least 10 characters for your password."],
    ["abcdefghijkl", "Use letters and at least one number or symbol in your password."],
    ["aaaaaaaaaa1", "That password is too easy to guess: use more different characters."],
  ])("refuses the weak password %j with a reason", async (password, message) => {
    const response = await authRequest("/sign-up/email", {
      name: "Weak Pass",
      email: `weak-${password.length}-${password[0]}@example.com`,
      password,
    });
    expect(response.status).toBe(400);
    expect((await response.json()).message).toBe(message);
  });

  it("answers a wrong password and an unknown email identically", async () => {
    const wrongPassword = await authRequest("/sign-in/email", {
      email: "erin@example.com",
      password: "wrong-password-1",
    });
    const unknownEmail = await authRequest("/sign-in/email", {
      email: "nobody@example.com",
      password: "wrong-password-1",
    });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(await wrongPassword.json()).toEqual(await unknownEmail.json());
  });

  it("rate limits sign-in attempts from one address", async () => {
    const address = nextClientAddress();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 12; attempt++) {
      // A different account each time: only the address's own limit applies.
      const response = await authRequest(
        "/sign-in/email",
        { email: `guess-${attempt}@example.com`, password: "wrong-password-1" },
        address,
      );
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    // Another address is not affected.
    const other = await authRequest("/sign-in/email", {
      email: "erin@example.com",
      password: "correct-horse-42",
    });
    expect(other.status).toBe(200);
  });
});
