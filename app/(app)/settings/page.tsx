import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { CreateWorkspaceForm } from "@/components/workspace/create-workspace-form";
import { InvitationList } from "@/components/workspace/invitation-list";
import { InviteMemberForm } from "@/components/workspace/invite-member-form";
import { MemberList } from "@/components/workspace/member-list";
import { listInvitations, listMembers, roleAtLeast } from "@/db/queries/workspaces";
import { requirePageCaller } from "@/server/page-caller";

export const metadata = { title: "Workspace · Outflow" };

export default async function SettingsPage() {
  const caller = await requirePageCaller();
  const canInvite = roleAtLeast(caller.workspace.role, "admin");
  // Pending invitations are for owners and admins only, like the API that lists them.
  const [members, invitations] = await Promise.all([
    listMembers(caller.db, caller.workspace.workspaceId),
    canInvite ? listInvitations(caller.db, caller.workspace.workspaceId) : [],
  ]);
  return (
    <>
      <PageHeader
        title={caller.workspace.workspaceName}
        description={`You are ${caller.workspace.role === "admin" ? "an" : "the"} ${caller.workspace.role} of this workspace. Everything in it — campaigns, leads, accounts and credits — is shared by its members.`}
      />
      <div className="grid gap-6">
        <Card>
          <CardHeader
            title="Members"
            description="Owners manage roles; owners and admins invite and remove members."
          />
          <MemberList
            members={members.map((m) => ({ ...m, joinedAt: m.joinedAt.toISOString() }))}
            currentUserId={caller.user.id}
            currentRole={caller.workspace.role}
          />
        </Card>
        <Card>
          <CardHeader
            title="Invitations"
            description="No email is sent: copy the link and send it to your teammate. The link is shown once and is valid for 7 days; to get a new one, invite again."
          />
          <div className="space-y-5 px-5 py-4">
            {canInvite ? (
              <>
                <InviteMemberForm />
                <InvitationList
                  invitations={invitations.map((i) => ({
                    ...i,
                    expiresAt: i.expiresAt.toISOString(),
                    createdAt: i.createdAt.toISOString(),
                  }))}
                  canRevoke={canInvite}
                />
              </>
            ) : (
              <p className="text-sm text-slate-600">Ask an owner or an admin to invite people.</p>
            )}
          </div>
        </Card>
        <Card>
          <CardHeader
            title="New workspace"
            description="A separate space with its own campaigns, leads, accounts and credits."
          />
          <div className="px-5 py-4">
            <CreateWorkspaceForm />
          </div>
        </Card>
      </div>
    </>
  );
}
