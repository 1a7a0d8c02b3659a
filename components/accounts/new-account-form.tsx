"use client";
import { useRouter } from "next/navigation";
import { type FormEvent, useEffect, useState, useTransition } from "react";
import { createSandboxAccountAction } from "@/app/(app)/accounts/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

const WEEKDAYS = [
  { day: 1, label: "Mon" },
  { day: 2, label: "Tue" },
  { day: 3, label: "Wed" },
  { day: 4, label: "Thu" },
  { day: 5, label: "Fri" },
  { day: 6, label: "Sat" },
  { day: 7, label: "Sun" },
];

/** Adds a sandbox account: a simulated LinkedIn seat with its own hours and time zone. */
export function NewAccountForm({ canManage }: { canManage: boolean }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [created, setCreated] = useState<string | null>(null);
  const [timeZone, setTimeZone] = useState("Europe/Paris");
  const [zones, setZones] = useState<string[]>([]);

  // The browser knows the visitor's zone and the list of zones; the server render does not.
  useEffect(() => {
    setTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
    setZones(Intl.supportedValuesOf?.("timeZone") ?? []);
  }, []);

  const disabledReason = canManage ? undefined : "Only owners and admins can add accounts.";

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const warmupStartDate = String(form.get("warmupStartDate") ?? "");
    startTransition(async () => {
      const result = await createSandboxAccountAction({
        name: String(form.get("name") ?? ""),
        timeZone,
        workingHours: {
          days: form.getAll("days").map(Number),
          start: String(form.get("start") ?? ""),
          end: String(form.get("end") ?? ""),
        },
        warmupStartDate: warmupStartDate === "" ? null : warmupStartDate,
      });
      if (!result.ok) {
        setError(result.error.message);
        setFieldErrors(result.error.fieldErrors ?? {});
        setCreated(null);
        return;
      }
      setError(null);
      setFieldErrors({});
      setCreated(`${result.data.name} is ready: pick it when you create a campaign.`);
      formElement.reset();
      router.refresh();
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          id="account-name"
          name="name"
          label="Name"
          placeholder="Ada's seat"
          required
          error={fieldErrors.name?.[0]}
        />
        <Field
          id="account-time-zone"
          label="Time zone"
          value={timeZone}
          onChange={(event) => setTimeZone(event.target.value)}
          list="account-time-zones"
          hint="Working hours and daily caps count in this zone."
          error={fieldErrors.timeZone?.[0]}
        />
        <datalist id="account-time-zones">
          {zones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      </div>
      <fieldset>
        <legend className="mb-1.5 block text-sm font-medium text-slate-700">Working days</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-2">
          {WEEKDAYS.map(({ day, label }) => (
            <label key={day} className="flex items-center gap-1.5 text-sm text-slate-800">
              <input
                type="checkbox"
                name="days"
                value={day}
                defaultChecked={day <= 5}
                className="size-4 rounded border-slate-300"
              />
              {label}
            </label>
          ))}
        </div>
        {fieldErrors["workingHours.days"] ? (
          <p className="mt-1.5 text-sm text-red-700">{fieldErrors["workingHours.days"][0]}</p>
        ) : null}
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field
          id="account-start"
          name="start"
          type="time"
          label="Starts at"
          defaultValue="09:00"
          error={fieldErrors["workingHours.start"]?.[0]}
        />
        <Field
          id="account-end"
          name="end"
          type="time"
          label="Ends at"
          defaultValue="18:00"
          error={fieldErrors["workingHours.end"]?.[0]}
        />
        <Field
          id="account-warmup"
          name="warmupStartDate"
          type="date"
          label="Warm-up started on"
          hint="Empty: already warmed up. A new seat ramps its caps up over 5 weeks."
          error={fieldErrors.warmupStartDate?.[0]}
        />
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending || !canManage} title={disabledReason}>
          {pending ? "Adding…" : "Add sandbox account"}
        </Button>
        {disabledReason ? <span className="text-sm text-slate-500">{disabledReason}</span> : null}
      </div>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {created ? <Alert tone="success">{created}</Alert> : null}
    </form>
  );
}
