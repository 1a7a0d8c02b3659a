"use client";
import { type FormEvent, useEffect, useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { LINKEDIN_PLAN_LABELS, LINKEDIN_PLANS } from "@/workflows/providers/types";
import { callUnipileRoute } from "./unipile-credentials-form";

/**
 * Connects a LinkedIn seat: Outflow asks Unipile for a hosted sign-in link and sends the
 * browser there; Unipile calls Outflow back and the seat appears in the list.
 */
export function UnipileConnectForm({
  configured,
  canManage,
}: {
  configured: boolean;
  canManage: boolean;
}) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [timeZone, setTimeZone] = useState("Europe/Paris");
  const [zones, setZones] = useState<string[]>([]);

  useEffect(() => {
    setTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
    setZones(Intl.supportedValuesOf?.("timeZone") ?? []);
  }, []);

  const disabledReason = !canManage
    ? "Only owners and admins can connect accounts."
    : !configured
      ? "Save the Unipile credentials first."
      : undefined;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const result = await callUnipileRoute("/api/accounts/unipile/link", "POST", {
        name: String(form.get("name") ?? ""),
        timeZone,
        warmup: form.get("warmup") === "on",
        plan: String(form.get("plan") ?? "premium"),
      });
      if (!result.ok) {
        setError(result.message);
        setFieldErrors(result.fieldErrors);
        return;
      }
      window.location.assign(String(result.data.url));
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          id="unipile-account-name"
          name="name"
          label="Name"
          placeholder="Ada's LinkedIn"
          required
          error={fieldErrors.name?.[0]}
        />
        <Field
          id="unipile-account-time-zone"
          label="Time zone"
          value={timeZone}
          onChange={(event) => setTimeZone(event.target.value)}
          list="unipile-time-zones"
          hint="Working hours (Mon–Fri, 09:00–18:00) and daily caps count in this zone."
          error={fieldErrors.timeZone?.[0]}
        />
        <datalist id="unipile-time-zones">
          {zones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
        <div className="space-y-1 sm:col-span-2">
          <label
            htmlFor="unipile-account-plan"
            className="block text-sm font-medium text-slate-800"
          >
            LinkedIn plan
          </label>
          <select
            id="unipile-account-plan"
            name="plan"
            defaultValue="premium"
            className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
          >
            {LINKEDIN_PLANS.map((plan) => (
              <option key={plan} value={plan}>
                {LINKEDIN_PLAN_LABELS[plan]}
              </option>
            ))}
          </select>
          <p className="text-xs text-slate-500">
            InMails go through this plan and use its credits: Premium through classic LinkedIn,
            Sales Navigator through Sales Navigator, Recruiter through Recruiter.
          </p>
          {fieldErrors.plan?.[0] ? (
            <p className="text-xs text-red-700">{fieldErrors.plan[0]}</p>
          ) : null}
        </div>
      </div>
      <label className="flex items-center gap-2 text-sm text-slate-800">
        <input
          type="checkbox"
          name="warmup"
          defaultChecked
          className="size-4 rounded border-slate-300"
        />
        Warm up: ramp the daily caps up over the first 5 weeks
      </label>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending || !!disabledReason} title={disabledReason}>
          {pending ? "Opening Unipile…" : "Connect a LinkedIn account"}
        </Button>
        {disabledReason ? <span className="text-sm text-slate-500">{disabledReason}</span> : null}
      </div>
      {error ? <Alert tone="error">{error}</Alert> : null}
    </form>
  );
}
