"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { inboxKeys, unreadPollMs } from "@/components/inbox/query-keys";
import { requestJson } from "@/components/ui/api";
import { cn } from "@/components/ui/cn";
import {
  AccountsIcon,
  CampaignIcon,
  CreditsIcon,
  InboxIcon,
  LeadsIcon,
  SettingsIcon,
} from "@/components/ui/icons";

const LINKS = [
  { href: "/inbox", label: "Inbox", Icon: InboxIcon },
  { href: "/campaigns", label: "Campaigns", Icon: CampaignIcon },
  { href: "/leads", label: "Leads", Icon: LeadsIcon },
  { href: "/accounts", label: "Accounts", Icon: AccountsIcon },
  { href: "/credits", label: "Credits", Icon: CreditsIcon },
  { href: "/settings", label: "Workspace", Icon: SettingsIcon },
];

export function NavLinks({ collapsed = false }: { collapsed?: boolean }) {
  const pathname = usePathname();
  const unread = useQuery({
    queryKey: inboxKeys.unread,
    queryFn: () => requestJson<{ unread: number }>("/api/inbox/unread"),
    refetchInterval: unreadPollMs,
  }).data?.unread;
  return (
    <nav
      aria-label="Main"
      className={cn("flex flex-col gap-0.5", collapsed ? "mt-1 px-1.5" : "mt-4 px-3")}
    >
      {LINKS.map(({ href, label, Icon }) => {
        const active = pathname === href || pathname.startsWith(`${href}/`);
        return (
          <Link
            key={href}
            href={href}
            aria-current={active ? "page" : undefined}
            title={collapsed ? label : undefined}
            className={cn(
              "flex items-center gap-3 rounded-md py-2 text-sm font-medium",
              collapsed ? "justify-center px-0" : "px-3",
              active ? "bg-brand-50 text-brand-700" : "text-slate-700 hover:bg-slate-100",
            )}
          >
            <Icon />
            <span className={collapsed ? "sr-only" : undefined}>{label}</span>
            {href === "/inbox" && unread ? (
              <span
                className={cn(
                  "rounded-full bg-brand-600 px-1.5 text-xs font-semibold text-white",
                  collapsed ? "sr-only" : "ml-auto",
                )}
                title={`${unread} unread`}
              >
                {unread}
                <span className="sr-only"> unread</span>
              </span>
            ) : null}
          </Link>
        );
      })}
    </nav>
  );
}
