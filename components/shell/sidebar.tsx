"use client";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { LogoMark } from "@/components/ui/icons";
import { NavLinks } from "./nav-links";
import { NotificationBell } from "./notification-bell";

/** The campaign editor's route: there the navigation folds to a rail of icons. */
export const EDITOR_PATH = /^\/campaigns\/[^/]+\/edit\/?$/;

/**
 * The app's navigation. In the campaign editor it folds to a 48-px rail of icons, so the canvas
 * gets the room; everywhere else it shows the workspace switcher, the links and the user menu.
 */
export function Sidebar({ workspace, user }: { workspace: ReactNode; user: ReactNode }) {
  const pathname = usePathname();
  const collapsed = EDITOR_PATH.test(pathname);
  return (
    <aside
      data-collapsed={collapsed || undefined}
      className={cn(
        "sticky top-0 flex h-screen shrink-0 flex-col border-r border-slate-200 bg-white",
        collapsed ? "w-12" : "w-60",
      )}
    >
      <div
        className={cn(
          "flex items-center gap-2 text-brand-600",
          collapsed ? "justify-center py-3" : "px-5 py-4",
        )}
      >
        <LogoMark className="size-6" />
        <span className={cn("text-lg font-semibold text-slate-900", collapsed && "sr-only")}>
          Outflow
        </span>
        {collapsed ? null : (
          <div className="ml-auto">
            <NotificationBell />
          </div>
        )}
      </div>
      {collapsed ? (
        <div className="flex justify-center pb-2">
          <NotificationBell collapsed />
        </div>
      ) : null}
      {collapsed ? null : <div className="px-3">{workspace}</div>}
      <NavLinks collapsed={collapsed} />
      {collapsed ? null : <div className="mt-auto border-t border-slate-100 p-3">{user}</div>}
    </aside>
  );
}
