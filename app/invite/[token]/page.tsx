import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { AcceptInvitation } from "@/components/workspace/accept-invitation";
import { getDb } from "@/db/client";
import { findInvitationByTokenHash } from "@/db/queries/workspaces";
import { optionalPageCaller } from "@/server/http/page-caller";
import { invitationTokenInput } from "@/server/workspaces/accept-invitation";
import { hashInvitationToken } from "@/server/workspaces/workspace-shared";

export const dynamic = "force-dynamic";

function Panel({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-md rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <h1 className="mb-3 text-lg font-semibold">{title}</h1>
        {children}
      </div>
    </main>
  );
}

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const parsed = invitationTokenInput.safeParse(await params);
  const token = parsed.success ? parsed.data.token : null;
  const invitation = token
    ? await findInvitationByTokenHash(await getDb(), hashInvitationToken(token))
    : null;
  if (!token || invitation?.status !== "pending") {
    return (
      <Panel title="This invitation is not valid">
        <p className="text-sm text-slate-600">
          It may have been used, revoked or mistyped. Ask your teammate for a new link.
        </p>
      </Panel>
    );
  }
  if (!invitation || invitation.expiresAt.getTime() < Date.now()) {
    return (
      <Panel title="This invitation has expired">
        <p className="text-sm text-slate-600">Ask your teammate to invite you again.</p>
      </Panel>
    );
  }
  const caller = await optionalPageCaller();
  const next = encodeURIComponent(`/invite/${token}`);
  return (
    <Panel title={`Join ${invitation.workspaceName}`}>
      <p className="mb-5 text-sm text-slate-600">
        You were invited as {invitation.role === "admin" ? "an admin" : "a member"} with{" "}
        <strong>{invitation.email}</strong>.
      </p>
      {caller ? (
        caller.user.email.toLowerCase() === invitation.email.toLowerCase() ? (
          <AcceptInvitation token={token} />
        ) : (
          <p className="text-sm text-slate-600">
            You are signed in as {caller.user.email}. Sign out, then sign in as {invitation.email}{" "}
            to accept.
          </p>
        )
      ) : (
        <div className="flex gap-3">
          <Link className={buttonClass("primary")} href={`/sign-up?next=${next}`}>
            Create an account
          </Link>
          <Link className={buttonClass("secondary")} href={`/sign-in?next=${next}`}>
            Sign in
          </Link>
        </div>
      )}
    </Panel>
  );
}
