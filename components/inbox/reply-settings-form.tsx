"use client";
import { type FormEvent, useState } from "react";
import { requestResult } from "@/components/ui/api";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";

/** What the campaign does when a lead answers with an out-of-office reply. */
export function ReplySettingsForm({
  campaignId,
  canManage,
  initial,
}: {
  campaignId: string;
  canManage: boolean;
  initial: { outOfOfficeAsReply: boolean; outOfOfficePauseDays: number };
}) {
  const [asReply, setAsReply] = useState(initial.outOfOfficeAsReply);
  const [days, setDays] = useState(String(initial.outOfOfficePauseDays));
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const result = await requestResult(`/api/campaigns/${campaignId}/reply-settings`, {
      method: "PUT",
      body: { outOfOfficeAsReply: asReply, outOfOfficePauseDays: Number(days) },
    });
    setStatus(
      result.ok
        ? { ok: true, text: "Saved." }
        : { ok: false, text: Object.values(result.fieldErrors)[0]?.[0] ?? result.message },
    );
  }

  return (
    <form onSubmit={onSubmit} className="grid gap-3 px-5 py-4 text-sm">
      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          checked={asReply}
          disabled={!canManage}
          onChange={(e) => setAsReply(e.target.checked)}
          className="size-4 rounded border-slate-300"
        />
        Count an out-of-office reply as a reply (the lead stops)
      </label>
      <label className="grid max-w-xs gap-1">
        <span className="text-slate-700">
          Otherwise the lead waits until the return date, or this many days when none is given
        </span>
        <input
          type="number"
          min={1}
          max={90}
          value={days}
          disabled={!canManage || asReply}
          onChange={(e) => setDays(e.target.value)}
          className={inputClass}
        />
      </label>
      <div className="flex items-center gap-3">
        <Button type="submit" variant="secondary" disabled={!canManage}>
          Save
        </Button>
        {!canManage ? (
          <span className="text-slate-500">Only owners and admins change this.</span>
        ) : null}
        {status ? (
          <span role="status" className={status.ok ? "text-emerald-700" : "text-red-700"}>
            {status.text}
          </span>
        ) : null}
      </div>
    </form>
  );
}
