import { and, desc, eq, isNull } from "drizzle-orm";
import { NotificationSettings } from "@/components/notifications/notification-settings";
import { Alert } from "@/components/ui/alert";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { ApiKeys } from "@/components/workspace/api-keys";
import { CreateWorkspaceForm } from "@/components/workspace/create-workspace-form";
import { InvitationList } from "@/components/workspace/invitation-list";
import { InviteMemberForm } from "@/components/workspace/invite-member-form";
import { MemberList } from "@/components/workspace/member-list";
import { WebhookEndpoints } from "@/components/workspace/webhook-endpoints";
import { listInvitations, listMembers, roleAtLeast } from "@/db/queries/workspaces";
import { notification } from "@/db/schema/index";
import { WEBHOOK_EVENT_DESCRIPTIONS, WEBHOOK_EVENT_TYPES } from "@/db/webhooks/events";
import { listApiKeys } from "@/server/api-keys/list-api-keys";
import { requirePageCaller } from "@/server/http/page-caller";
import { myNotificationPreferences } from "@/server/notifications/get-notification-preferences";
import { workspaceSlack } from "@/server/notifications/get-workspace-slack";
import { listWebhookEndpoints } from "@/server/webhooks/list-webhook-endpoints";
import { ADMIN_KINDS } from "@/workflows/notifications/kinds";

export const metadata = { title: "Workspace · Outflow" };

export default async function SettingsPage() {
  const caller = await requirePageCaller();
  const canInvite = roleAtLeast(caller.workspace.role, "admin");
  // Pending invitations are for owners and admins only, like the API that lists them.
  const [members, invitations] = await Promise.all([
    listMembers(caller.db, caller.workspace.workspaceId),
    canInvite ? listInvitations(caller.db, caller.workspace.workspaceId) : [],
  ]);
  const [keys, webhooks, notifications, slack] = canInvite
    ? await Promise.all([
        listApiKeys(caller),
        listWebhookEndpoints(caller),
        // Endpoints turned off and not yet dealt with (deleted or turned back on).
        caller.db
          .select({ id: notification.id, body: notification.body })
          .from(notification)
          .where(
            and(
              eq(notification.workspaceId, caller.workspace.workspaceId),
              eq(notification.kind, "webhook_endpoint_disabled"),
              isNull(notification.closedAt),
            ),
          )
          .orderBy(desc(notification.createdAt))
          .limit(5),
        workspaceSlack(caller),
      ])
    : [{ keys: [] }, { endpoints: [] }, [], null];
  const preferences = await myNotificationPreferences(caller);
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
          <div id="notifications">
            <CardHeader
              title="Notifications"
              description="What you are told, and how: in the app (the bell), by email too, or not at all. Your choices are yours alone."
            />
          </div>
          <NotificationSettings
            preferences={preferences.preferences}
            emailEnabled={preferences.emailEnabled}
            adminKinds={[...ADMIN_KINDS]}
            slack={slack}
          />
        </Card>
        {canInvite ? (
          <>
            <Card>
              <CardHeader
                title="API keys"
                description="For scripts and CRMs: everything the app does, over HTTP. A key is shown once, when it is created."
              />
              <div className="space-y-3 px-5 py-4">
                <p className="text-sm text-slate-600">
                  Read the{" "}
                  <a className="text-brand-700 underline" href="/developers/api">
                    API reference
                  </a>
                  .
                </p>
                <ApiKeys
                  keys={keys.keys.map((key) => ({
                    ...key,
                    createdAt: key.createdAt.toISOString(),
                    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
                    revokedAt: key.revokedAt?.toISOString() ?? null,
                  }))}
                />
              </div>
            </Card>
            <Card>
              <CardHeader
                title="Webhooks"
                description="Outflow posts events to your endpoints, signed (Standard Webhooks), and retries failures for a day."
              />
              <div className="space-y-3 px-5 py-4">
                <p className="text-sm text-slate-600">
                  What each event sends, and how to check its signature: the{" "}
                  <a className="text-brand-700 underline" href="/developers/api">
                    API reference
                  </a>
                  , under "Webhook events".
                </p>
                {notifications.map((note) => (
                  <Alert key={note.id} tone="warning">
                    {note.body}
                  </Alert>
                ))}
                <WebhookEndpoints
                  endpoints={webhooks.endpoints.map((endpoint) => ({
                    id: endpoint.id,
                    url: endpoint.url,
                    description: endpoint.description,
                    eventTypes: endpoint.eventTypes,
                    disabledAt: endpoint.disabledAt?.toISOString() ?? null,
                    disabledReason: endpoint.disabledReason,
                  }))}
                  eventTypes={WEBHOOK_EVENT_TYPES.map((type) => ({
                    type,
                    description: WEBHOOK_EVENT_DESCRIPTIONS[type],
                  }))}
                />
              </div>
            </Card>
          </>
        ) : null}
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
