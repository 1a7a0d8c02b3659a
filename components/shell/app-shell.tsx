import type { ReactNode } from "react";
import { Sidebar } from "./sidebar";
import { UserMenu } from "./user-menu";
import { WorkspaceSwitcher } from "./workspace-switcher";

export interface ShellWorkspace {
  id: string;
  name: string;
}

export function AppShell({
  user,
  workspace,
  workspaces,
  children,
}: {
  user: { name: string; email: string };
  workspace: ShellWorkspace;
  workspaces: ShellWorkspace[];
  children: ReactNode;
}) {
  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <Sidebar
        workspace={<WorkspaceSwitcher current={workspace} workspaces={workspaces} />}
        user={<UserMenu name={user.name} email={user.email} />}
      />
      <main id="main" className="min-w-0 flex-1 px-8 py-8">
        <div className="mx-auto max-w-6xl">{children}</div>
      </main>
    </div>
  );
}
