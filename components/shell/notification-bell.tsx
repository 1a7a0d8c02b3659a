"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { requestJson } from "@/components/ui/api";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { formatDateTime } from "@/components/ui/format";
import { BellIcon } from "@/components/ui/icons";

interface NotificationItem {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  createdAt: string;
  read: boolean;
}

interface NotificationList {
  unread: number;
  notifications: NotificationItem[];
}

const KEY = ["notifications"] as const;

/** The notification centre: a bell with the unread count, and the list it opens. */
export function NotificationBell({ collapsed = false }: { collapsed?: boolean }) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState<"all" | "unread">("all");
  const panel = useRef<HTMLDivElement>(null);
  const list = useQuery({
    queryKey: KEY,
    queryFn: () => requestJson<NotificationList>("/api/notifications?limit=50"),
    refetchInterval: 15_000,
  });
  const markRead = useMutation({
    mutationFn: (body: { ids: string[] } | { all: true }) =>
      requestJson("/api/notifications/read", { method: "POST", body }),
    onSettled: () => client.invalidateQueries({ queryKey: KEY }),
  });

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent) {
        if (event.key === "Escape") setOpen(false);
      } else if (!panel.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("mousedown", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);

  const unread = list.data?.unread ?? 0;
  const items = (list.data?.notifications ?? []).filter((n) => filter === "all" || !n.read);
  return (
    <div className="relative" ref={panel}>
      <button
        type="button"
        onClick={() => setOpen((value) => !value)}
        aria-expanded={open}
        aria-label={unread > 0 ? `Notifications, ${unread} unread` : "Notifications"}
        className="relative flex items-center rounded-md p-1.5 text-slate-600 hover:bg-slate-100"
      >
        <BellIcon />
        {unread > 0 ? (
          <span
            data-testid="notification-count"
            className="absolute -right-1 -top-1 min-w-4 rounded-full bg-red-600 px-1 text-center text-[10px] font-semibold leading-4 text-white"
          >
            {unread > 99 ? "99+" : unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <section
          aria-label="Notifications"
          className={cn(
            "absolute top-9 z-40 w-96 rounded-lg border border-slate-200 bg-white shadow-lg",
            collapsed ? "left-0" : "-left-40",
          )}
        >
          <header className="flex items-center justify-between gap-2 border-b border-slate-100 px-4 py-2">
            <h2 className="text-sm font-semibold text-slate-900">Notifications</h2>
            <div className="flex items-center gap-1">
              <select
                aria-label="Show"
                className="rounded border border-slate-200 px-1 py-0.5 text-xs"
                value={filter}
                onChange={(event) => setFilter(event.target.value as "all" | "unread")}
              >
                <option value="all">All</option>
                <option value="unread">Unread</option>
              </select>
              <Button
                variant="ghost"
                className="px-2 py-1 text-xs"
                disabled={unread === 0 || markRead.isPending}
                onClick={() => markRead.mutate({ all: true })}
              >
                Mark all read
              </Button>
            </div>
          </header>
          {list.error ? (
            <p className="px-4 py-3 text-sm text-red-700">{(list.error as Error).message}</p>
          ) : null}
          {markRead.error ? (
            <p className="px-4 py-2 text-sm text-red-700">{(markRead.error as Error).message}</p>
          ) : null}
          <ul className="max-h-96 divide-y divide-slate-100 overflow-y-auto">
            {items.length === 0 ? (
              <li className="px-4 py-6 text-center text-sm text-slate-500">
                {list.isLoading ? "Loading…" : "Nothing to tell you yet."}
              </li>
            ) : null}
            {items.map((item) => (
              <li key={item.id} className={cn("px-4 py-3", item.read ? "" : "bg-brand-50/50")}>
                <p className="text-sm font-medium text-slate-900">
                  {item.read ? null : <span className="sr-only">Unread: </span>}
                  {item.title}
                </p>
                {item.body ? (
                  <p className="mt-0.5 line-clamp-3 text-sm text-slate-600">{item.body}</p>
                ) : null}
                <div className="mt-1 flex items-center gap-3 text-xs text-slate-500">
                  <span>{formatDateTime(item.createdAt)}</span>
                  {item.link ? (
                    <Link
                      href={item.link}
                      className="text-brand-700 underline"
                      onClick={() => {
                        if (!item.read) markRead.mutate({ ids: [item.id] });
                        setOpen(false);
                      }}
                    >
                      Open
                    </Link>
                  ) : null}
                  {item.read ? null : (
                    <button
                      type="button"
                      className="text-slate-600 underline"
                      onClick={() => markRead.mutate({ ids: [item.id] })}
                    >
                      Mark read
                    </button>
                  )}
                </div>
              </li>
            ))}
          </ul>
          <footer className="border-t border-slate-100 px-4 py-2 text-xs">
            <Link
              href="/settings#notifications"
              className="text-brand-700 underline"
              onClick={() => setOpen(false)}
            >
              Choose what you are told, and how
            </Link>
          </footer>
        </section>
      ) : null}
    </div>
  );
}
