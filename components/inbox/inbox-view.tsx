"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { requestJson } from "@/components/ui/api";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Select } from "@/components/ui/field";
import { formatDateTime } from "@/components/ui/format";
import type { ConversationSummary } from "@/views/inbox";
import { CategoryBadge } from "./category-badge";
import { CATEGORY_LABELS } from "./labels";
import { inboxKeys, unreadPollMs } from "./query-keys";
import { ThreadView } from "./thread-view";

interface Choice {
  id: string;
  name: string;
}

const EMPTY_FILTERS = {
  accountId: "",
  campaignId: "",
  category: "",
  unread: "",
  assignedToMe: "",
  includeDone: "",
};
type Filters = typeof EMPTY_FILTERS;

/** Conversations across every seat, newest first, with the open thread beside them. */
export function InboxView({
  accounts,
  campaigns,
  userId,
}: {
  accounts: Choice[];
  campaigns: Choice[];
  userId: string;
}) {
  const [filters, setFilters] = useState<Filters>(EMPTY_FILTERS);
  const [openId, setOpenId] = useState<string | null>(null);
  const query = new URLSearchParams(
    Object.entries(filters).filter(([, value]) => value !== ""),
  ).toString();
  const list = useQuery({
    queryKey: inboxKeys.list(filters),
    queryFn: () =>
      requestJson<{ items: ConversationSummary[]; nextCursor: string | null }>(
        `/api/inbox${query ? `?${query}` : ""}`,
      ),
    refetchInterval: unreadPollMs,
  });
  const set = (key: keyof Filters) => (value: string) =>
    setFilters((current) => ({ ...current, [key]: value }));
  const items = list.data?.items ?? [];

  return (
    <div className="grid gap-4">
      <Card className="grid gap-3 p-4 sm:grid-cols-3 lg:grid-cols-6">
        <Select
          id="inbox-seat"
          label="Sender account"
          value={filters.accountId}
          onChange={(e) => set("accountId")(e.target.value)}
        >
          <option value="">Every account</option>
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </Select>
        <Select
          id="inbox-campaign"
          label="Campaign"
          value={filters.campaignId}
          onChange={(e) => set("campaignId")(e.target.value)}
        >
          <option value="">Every campaign</option>
          {campaigns.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </Select>
        <Select
          id="inbox-category"
          label="Category"
          value={filters.category}
          onChange={(e) => set("category")(e.target.value)}
        >
          <option value="">Every category</option>
          {Object.entries(CATEGORY_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
        <Toggle
          label="Unread only"
          checked={filters.unread === "true"}
          onChange={(on) => set("unread")(on ? "true" : "")}
        />
        <Toggle
          label="Assigned to me"
          checked={filters.assignedToMe === "true"}
          onChange={(on) => set("assignedToMe")(on ? "true" : "")}
        />
        <Toggle
          label="Show done"
          checked={filters.includeDone === "true"}
          onChange={(on) => set("includeDone")(on ? "true" : "")}
        />
      </Card>
      <div className="grid gap-4 lg:grid-cols-[22rem_1fr]">
        <Card className="max-h-[75vh] overflow-y-auto">
          {list.isError ? (
            <p role="alert" className="px-4 py-6 text-sm text-red-700">
              {list.error.message}
            </p>
          ) : list.isPending ? (
            <p className="px-4 py-6 text-sm text-slate-500">Loading conversations…</p>
          ) : items.length === 0 ? (
            <p className="px-4 py-6 text-sm text-slate-600">
              No conversation matches. Replies to your campaigns appear here as they arrive.
            </p>
          ) : (
            <ul aria-label="Conversations" className="divide-y divide-slate-100">
              {items.map((item) => (
                <li key={item.id}>
                  <button
                    type="button"
                    onClick={() => setOpenId(item.id)}
                    aria-current={openId === item.id ? "true" : undefined}
                    className={cn(
                      "grid w-full gap-1 px-4 py-3 text-left hover:bg-slate-50",
                      openId === item.id && "bg-brand-50",
                    )}
                  >
                    <span className="flex items-center gap-2">
                      {item.unread ? (
                        <span className="size-2 rounded-full bg-brand-600" title="Unread" />
                      ) : null}
                      <span
                        className={cn(
                          "truncate text-sm text-slate-900",
                          item.unread && "font-semibold",
                        )}
                      >
                        {item.lead.name}
                      </span>
                      <span className="ml-auto shrink-0 text-xs text-slate-500">
                        {formatDateTime(item.lastMessageAt)}
                      </span>
                    </span>
                    <span className="flex items-center gap-2 text-xs text-slate-500">
                      <CategoryBadge category={item.category} />
                      <span className="truncate">{item.account.name}</span>
                      {item.assignee ? (
                        <span className="truncate">
                          · {item.assignee.id === userId ? "You" : item.assignee.name}
                        </span>
                      ) : null}
                      {item.unread ? <span className="sr-only">Unread</span> : null}
                    </span>
                    <span className="line-clamp-2 text-sm text-slate-600">{item.preview}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </Card>
        {openId ? (
          <ThreadView conversationId={openId} userId={userId} />
        ) : (
          <Card className="p-6 text-sm text-slate-600">
            Choose a conversation to read it, see where the lead stands and answer.
          </Card>
        )}
      </div>
    </div>
  );
}

function Toggle({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (on: boolean) => void;
}) {
  return (
    <label className="flex items-end gap-2 pb-2 text-sm text-slate-700">
      <input
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        className="size-4 rounded border-slate-300"
      />
      {label}
    </label>
  );
}
