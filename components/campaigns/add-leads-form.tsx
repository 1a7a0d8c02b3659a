"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState, useTransition } from "react";
import { addLeadsAction } from "@/app/(app)/campaigns/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import type { AddLeadsResult } from "@/views/campaigns";
import { campaignKeys } from "./query-keys";

const LINE_ERROR = /^leads\.(\d+)\.publicIdentifier$/;

/** Turns "leads.3.publicIdentifier: …" field errors back into the lines the user typed. */
function lineErrors(fieldErrors: Record<string, string[]> | undefined): string[] {
  return Object.entries(fieldErrors ?? {})
    .map(([key, messages]) => {
      const line = LINE_ERROR.exec(key)?.[1];
      return line === undefined ? null : `Line ${Number(line) + 1}: ${messages[0]}`;
    })
    .filter((message): message is string => message !== null);
}

function describeResult(result: AddLeadsResult): string {
  const parts = [`${result.enrolled} enrolled`];
  const { alreadyInCampaign, inOtherCampaign, blocklisted } = result.skipped;
  if (alreadyInCampaign) parts.push(`${alreadyInCampaign} already in this campaign`);
  if (inOtherCampaign) parts.push(`${inOtherCampaign} running in another campaign`);
  if (blocklisted) parts.push(`${blocklisted} on the blocklist`);
  return `${parts.join(" · ")}.`;
}

/** Paste LinkedIn profiles (addresses or public identifiers), one per line; enrolled at once. */
export function AddLeadsForm({
  campaignId,
  canManage,
  closed,
}: {
  campaignId: string;
  canManage: boolean;
  /** Why the campaign takes no leads (finished), when it does not. */
  closed?: string;
}) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<string[]>([]);
  const [added, setAdded] = useState<string | null>(null);
  const disabledReason = !canManage ? "Only owners and admins can add leads." : closed;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const identifiers = String(form.get("identifiers") ?? "")
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line.length > 0);
    if (identifiers.length === 0) {
      setErrors(["Paste at least one LinkedIn profile."]);
      setAdded(null);
      return;
    }
    startTransition(async () => {
      const result = await addLeadsAction({
        campaignId,
        leads: identifiers.map((publicIdentifier) => ({ publicIdentifier })),
        allowInOtherCampaigns: form.get("allowInOtherCampaigns") === "on",
      });
      if (!result.ok) {
        const lines = lineErrors(result.error.fieldErrors);
        setErrors(lines.length > 0 ? lines.slice(0, 5) : [result.error.message]);
        setAdded(null);
        return;
      }
      setErrors([]);
      setAdded(describeResult(result.data));
      formElement.reset();
      // The live views refetch; the page header (lead count) re-renders once.
      void queryClient.invalidateQueries({ queryKey: campaignKeys.allLeads(campaignId) });
      void queryClient.invalidateQueries({ queryKey: campaignKeys.dashboard(campaignId) });
      router.refresh();
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-3" noValidate>
      <div>
        <label
          htmlFor="lead-identifiers"
          className="mb-1.5 block text-sm font-medium text-slate-700"
        >
          Profiles, one per line
        </label>
        <textarea
          id="lead-identifiers"
          name="identifiers"
          rows={5}
          placeholder={"https://www.linkedin.com/in/ada-lovelace/\ngrace-hopper"}
          className={`${inputClass} font-mono`}
          aria-describedby="lead-identifiers-hint"
        />
        <p id="lead-identifiers-hint" className="mt-1.5 text-xs text-slate-500">
          A profile's address (linkedin.com/in/…) or the name after /in/, as in an import.
        </p>
      </div>
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input
          type="checkbox"
          name="allowInOtherCampaigns"
          className="size-4 rounded border-slate-300"
        />
        Also enroll leads another campaign is contacting right now
      </label>
      <div className="flex items-center gap-3">
        <Button
          type="submit"
          disabled={pending || disabledReason !== undefined}
          title={disabledReason}
        >
          {pending ? "Adding…" : "Add leads"}
        </Button>
        {disabledReason ? <span className="text-sm text-slate-500">{disabledReason}</span> : null}
      </div>
      {errors.length > 0 ? (
        <Alert tone="error">
          {errors.length === 1 ? (
            errors[0]
          ) : (
            <ul className="list-disc space-y-1 pl-4">
              {errors.map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          )}
        </Alert>
      ) : null}
      {added ? <Alert tone="success">{added}</Alert> : null}
    </form>
  );
}
