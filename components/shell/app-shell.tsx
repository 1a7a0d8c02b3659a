import type { ReactNode } from "react";
import { LogoMark } from "@/components/ui/icons";
import { NavLinks } from "./nav-links";
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
      <aside className="sticky top-0 flex h-screen w-60 shrink-0 flex-col border-r border-slate-200 bg-white">
        <div className="flex items-center gap-2 px-5 py-4 text-brand-600">
          <LogoMark className="size-6" />
          <span className="text-lg font-semibold text-slate-900">Outflow</span>
        </div>
        <div className="px-3">
          <WorkspaceSwitcher current={workspace} workspaces={workspaces} />
        </div>
        <NavLinks />
        <div className="mt-auto border-t border-slate-100 p-3">
          <UserMenu name={user.name} email={user.email} />
        </div>
      </aside>
      <main id="main" className="min-w-0 flex-1 px-8 py-8">
        <div className="mx-auto max-w-6xl">{children}</div>
      </main>
    </div>
  );
}
