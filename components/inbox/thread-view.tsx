"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { ApiError, requestJson } from "@/components/ui/api";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { inputClass } from "@/components/ui/field";
import { formatDate, formatDateTime } from "@/components/ui/format";
import type { AnswerResult, ConversationSummary, ConversationThread } from "@/views/inbox";
import { CategoryBadge } from "./category-badge";
import { CATEGORY_LABELS, KIND_LABELS, LANGUAGE_LABELS } from "./labels";
import { inboxKeys, unreadPollMs } from "./query-keys";
import { ReferralCard } from "./referral-card";

type Message = ConversationThread["messages"][number];

const STATE_WORDS: Record<string, string> = {
  active: "In progress",
  done: "Finished",
  failed: "Stopped by an error",
  removed: "Removed",
};

/** One conversation: both sides, the lead's card and campaigns, and the answer box. */
export function ThreadView({ conversationId, userId }: { conversationId: string; userId: string }) {
  const queryClient = useQueryClient();
  const thread = useQuery({
    queryKey: inboxKeys.thread(conversationId),
    queryFn: () => requestJson<ConversationThread>(`/api/inbox/${conversationId}`),
    refetchInterval: unreadPollMs,
  });
  const members = useQuery({
    queryKey: inboxKeys.members,
    queryFn: () =>
      requestJson<{ members: Array<{ id: string; name: string; email: string }> }>(
        "/api/inbox/members",
      ),
  });
  const update = useMutation({
    mutationFn: (body: { read?: boolean; done?: boolean; assigneeId?: string | null }) =>
      requestJson<ConversationSummary>(`/api/inbox/${conversationId}`, { method: "PATCH", body }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: inboxKeys.all }),
  });
  const markedRead = useRef<string | null>(null);
  const unread = thread.data?.conversation.unread;
  // Opening an unread thread reads it (once; "Mark unread" is respected afterwards).
  useEffect(() => {
    if (unread && markedRead.current !== conversationId) {
      markedRead.current = conversationId;
      update.mutate({ read: true });
    }
  }, [unread, conversationId, update]);

  if (thread.isError) {
    return (
      <Card className="p-6">
        <Alert tone="error">{thread.error.message}</Alert>
      </Card>
    );
  }
  if (!thread.data) return <Card className="p-6 text-sm text-slate-500">Loading…</Card>;
  const { conversation, messages, lead, enrollments, blocklisted } = thread.data;

  return (
    <div className="grid gap-4 xl:grid-cols-[1fr_18rem]">
      <Card className="flex min-h-[60vh] flex-col">
        <div className="flex flex-wrap items-center gap-2 border-b border-slate-100 px-5 py-3">
          <h2 className="text-base font-semibold text-slate-900">{conversation.lead.name}</h2>
          <span className="text-sm text-slate-500">with {conversation.account.name}</span>
          <div className="ml-auto flex flex-wrap items-center gap-2">
            <label className="sr-only" htmlFor="assignee">
              Assigned to
            </label>
            <select
              id="assignee"
              className={cn(inputClass, "w-44 py-1.5")}
              value={conversation.assignee?.id ?? ""}
              onChange={(e) => update.mutate({ assigneeId: e.target.value || null })}
            >
              <option value="">Unassigned</option>
              {(members.data?.members ?? []).map((m) => (
                <option key={m.id} value={m.id}>
                  {m.id === userId ? `${m.name} (you)` : m.name}
                </option>
              ))}
            </select>
            <Button
              variant="secondary"
              onClick={() => update.mutate({ read: conversation.unread })}
            >
              {conversation.unread ? "Mark read" : "Mark unread"}
            </Button>
            <Button variant="secondary" onClick={() => update.mutate({ done: !conversation.done })}>
              {conversation.done ? "Reopen" : "Mark done"}
            </Button>
          </div>
        </div>
        {update.isError ? (
          <Alert tone="error" className="mx-5 mt-3">
            {update.error.message}
          </Alert>
        ) : null}
        <ol aria-label="Messages" className="flex-1 space-y-3 overflow-y-auto px-5 py-4">
          {messages.map((m) => (
            <MessageItem key={m.id} message={m} conversationId={conversationId} />
          ))}
        </ol>
        <AnswerBox
          conversationId={conversationId}
          accountName={conversation.account.name}
          blocked={blocklisted !== null}
        />
      </Card>
      <Card className="h-fit p-4 text-sm">
        <h3 className="font-semibold text-slate-900">
          <Link href={`/leads/${lead.id}`} className="hover:underline">
            {lead.name}
          </Link>
        </h3>
        <p className="text-slate-600">{[lead.title, lead.company].filter(Boolean).join(" · ")}</p>
        <a
          href={lead.profileUrl}
          target="_blank"
          rel="noreferrer"
          className="text-brand-700 hover:underline"
        >
          LinkedIn profile
        </a>
        {blocklisted ? (
          <p className="mt-2 text-red-700">On the blocklist: no campaign contacts them.</p>
        ) : null}
        <h4 className="mt-4 font-medium text-slate-800">Campaigns on this account</h4>
        {enrollments.length === 0 ? (
          <p className="text-slate-500">Not in a campaign on this account.</p>
        ) : (
          <ul className="mt-1 space-y-2">
            {enrollments.map((e) => (
              <li key={e.id} className="rounded-md bg-slate-50 p-2">
                <Link href={`/campaigns/${e.campaign.id}`} className="font-medium hover:underline">
                  {e.campaign.name}
                </Link>
                <p className="text-slate-600">
                  {STATE_WORDS[e.state] ?? e.state}
                  {e.state === "active" ? ` · at “${e.step}”` : e.reason ? ` · ${e.reason}` : ""}
                </p>
                {e.state === "active" && e.nextRunAt ? (
                  <p className="text-slate-500">
                    Next: “{e.step}” from {formatDateTime(e.nextRunAt)}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

function MessageItem({ message, conversationId }: { message: Message; conversationId: string }) {
  const queryClient = useQueryClient();
  const correct = useMutation({
    mutationFn: (category: string) =>
      requestJson(`/api/inbox/messages/${message.id}/category`, {
        method: "POST",
        body: { category },
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: inboxKeys.all }),
  });
  const incoming = message.direction === "in";
  const who = incoming
    ? (message.sender ?? "Lead")
    : message.origin === "automated"
      ? `Sent automatically${message.campaign ? ` by “${message.campaign}”` : ""}`
      : message.origin === "linkedin"
        ? "Written on LinkedIn"
        : `Answered by ${message.sender ?? "a teammate"}`;
  return (
    <li className={cn("flex", incoming ? "justify-start" : "justify-end")}>
      <div
        className={cn(
          "max-w-[80%] rounded-lg px-3 py-2 text-sm",
          incoming ? "bg-slate-100 text-slate-900" : "bg-brand-50 text-slate-900",
        )}
      >
        <p className="mb-1 flex flex-wrap items-center gap-2 text-xs text-slate-500">
          <span>{who}</span>
          {!incoming ? <span>· {KIND_LABELS[message.kind] ?? message.kind}</span> : null}
          <span>· {formatDateTime(message.at)}</span>
          {incoming && message.language && LANGUAGE_LABELS[message.language] ? (
            <span>· {LANGUAGE_LABELS[message.language]}</span>
          ) : null}
        </p>
        {message.subject ? <p className="font-medium">{message.subject}</p> : null}
        <p className="whitespace-pre-wrap">{message.text}</p>
        {message.origin === "person" ? <AnswerStatus message={message} /> : null}
        {incoming ? (
          <div className="mt-2 flex flex-wrap items-center gap-2 text-xs">
            <CategoryBadge category={message.category} />
            {message.corrected ? <span className="text-slate-500">corrected</span> : null}
            <label className="sr-only" htmlFor={`category-${message.id}`}>
              Correct the category
            </label>
            <select
              id={`category-${message.id}`}
              className="rounded border-slate-300 py-0.5 text-xs"
              value={message.category ?? ""}
              disabled={correct.isPending}
              onChange={(e) => correct.mutate(e.target.value)}
            >
              {Object.entries(CATEGORY_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
            {correct.isError ? <span className="text-red-700">{correct.error.message}</span> : null}
          </div>
        ) : null}
        {incoming && message.category === "out_of_office" ? (
          <p className="mt-1 text-xs text-amber-800">
            {message.returnDate
              ? `Back on ${formatDate(message.returnDate)}: the campaign waits until then.`
              : "No return date given: the campaign waits the number of days it is set to."}
          </p>
        ) : null}
        {incoming && message.category === "referral" && message.referral ? (
          <ReferralCard name={message.referral} key={conversationId} />
        ) : null}
      </div>
    </li>
  );
}

function AnswerStatus({ message }: { message: Message }) {
  if (message.status === "sent") return <p className="mt-1 text-xs text-emerald-700">Sent</p>;
  if (message.status === "failed")
    return <p className="mt-1 text-xs text-red-700">Failed: {message.error}</p>;
  return <p className="mt-1 text-xs text-slate-500">Sending…</p>;
}

const newKey = () => `ans-${crypto.randomUUID()}`;

/**
 * The answer box. Each typed answer gets one key, kept across retries of the same request (a
 * double click, a lost connection), so the server never sends it twice; a new answer, or a
 * new attempt after a refusal, gets a new key.
 */
function AnswerBox({
  conversationId,
  accountName,
  blocked,
}: {
  conversationId: string;
  accountName: string;
  blocked: boolean;
}) {
  const queryClient = useQueryClient();
  const [text, setText] = useState("");
  const key = useRef<string>(newKey());
  const send = useMutation({
    mutationFn: (body: { text: string; idempotencyKey: string }) =>
      requestJson<AnswerResult>(`/api/inbox/${conversationId}/answer`, {
        method: "POST",
        body,
      }),
    onSuccess: (result) => {
      key.current = newKey();
      if (result.status !== "failed") setText("");
    },
    onError: (error) => {
      // Refused before anything was sent (caps, a paused seat): the next try is a new answer.
      if (error instanceof ApiError && error.status !== 0) key.current = newKey();
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: inboxKeys.all }),
  });

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!text.trim() || send.isPending) return;
    send.mutate({ text, idempotencyKey: key.current });
  }

  return (
    <form onSubmit={onSubmit} className="border-t border-slate-100 px-5 py-3">
      <label htmlFor="answer" className="mb-1 block text-sm font-medium text-slate-700">
        Answer
      </label>
      <textarea
        id="answer"
        rows={3}
        maxLength={8000}
        value={text}
        onChange={(e) => setText(e.target.value)}
        className={inputClass}
        placeholder="Write your answer…"
        disabled={blocked}
      />
      <p className="mt-1 text-xs text-slate-500">
        {blocked
          ? "This person is on the blocklist."
          : `Sent at once from ${accountName}, whatever its working hours; it counts toward the account's daily messages, and the lead's automated steps on this account stop (you have taken over).`}
      </p>
      <div className="mt-2 flex items-center gap-3">
        <Button type="submit" disabled={send.isPending || !text.trim() || blocked}>
          {send.isPending ? "Sending…" : "Send answer"}
        </Button>
        <span role="status" className="text-sm">
          {send.isError ? (
            <span className="text-red-700">Not sent: {send.error.message}</span>
          ) : send.data?.status === "sent" ? (
            <span className="text-emerald-700">Sent</span>
          ) : send.data?.status === "failed" ? (
            <span className="text-red-700">{send.data.error}</span>
          ) : send.data?.status === "intent" ? (
            <span className="text-slate-600">
              Outflow is checking with LinkedIn whether it went out.
            </span>
          ) : null}
        </span>
      </div>
    </form>
  );
}
