import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import { WorkspaceNotices } from "@/components/shell/workspace-notices";
import { AppQueryProvider } from "@/components/ui/query-provider";
import { requirePageCaller } from "@/server/http/page-caller";
import { readWorkspaceNotices } from "@/server/workspaces/read-workspace-notices";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const caller = await requirePageCaller();
  const notices = await readWorkspaceNotices(caller);
  return (
    <AppQueryProvider>
      <AppShell
        user={{ name: caller.user.name, email: caller.user.email }}
        workspace={{ id: caller.workspace.workspaceId, name: caller.workspace.workspaceName }}
        workspaces={caller.memberships.map((m) => ({ id: m.workspaceId, name: m.workspaceName }))}
      >
        <WorkspaceNotices {...notices} />
        {children}
      </AppShell>
    </AppQueryProvider>
  );
}
