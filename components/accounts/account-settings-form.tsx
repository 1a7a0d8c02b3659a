"use client";
import { useRouter } from "next/navigation";
import { type FormEvent, useEffect, useState, useTransition } from "react";
import { updateAccountSettingsAction } from "@/app/(app)/accounts/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { PacingSettings } from "@/workflows/engine/pacing/settings";
import { ACTION_KINDS, ACTIONS } from "@/workflows/nodes/index";
import { accountSettingsFromForm, endOfDayToInput, formatRamp } from "./account-settings-values";

const WEEKDAYS = [
  { day: 1, label: "Mon" },
  { day: 2, label: "Tue" },
  { day: 3, label: "Wed" },
  { day: 4, label: "Thu" },
  { day: 5, label: "Fri" },
  { day: 6, label: "Sat" },
  { day: 7, label: "Sun" },
];

/** One cap per action kind, as its step kind names it. */
const DAILY_CAPS = ACTION_KINDS.map((kind) => ({ kind, label: ACTIONS[kind].capLabel }));

/** Field error keys the form shows beside a field. */
const SHOWN_FIELDS = ["timeZone", "workingHours.", "caps.", "warmup.", "safety.", "invitations."];

/**
 * The account's time zone, working hours, caps, warm-up, safety threshold, the pause a seat may
 * last before its untouched leads move, and invitation hygiene. The server
 * checks every field and answers with the ones to fix.
 */
export function AccountSettingsForm({
  accountId,
  settings,
  canManage,
}: {
  accountId: string;
  settings: PacingSettings;
  canManage: boolean;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [saved, setSaved] = useState(false);
  const [zones, setZones] = useState<string[]>([]);

  useEffect(() => {
    setZones(Intl.supportedValuesOf?.("timeZone") ?? []);
  }, []);

  const errorOf = (key: string) => fieldErrors[key]?.[0];
  const rampError = Object.entries(fieldErrors).find(([key]) =>
    key.startsWith("warmup.ramp"),
  )?.[1][0];
  const disabledReason = canManage
    ? undefined
    : "Only owners and admins can change an account's settings.";

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(async () => {
      const result = await updateAccountSettingsAction(accountSettingsFromForm(accountId, form));
      if (!result.ok) {
        const fields = result.error.fieldErrors ?? {};
        // Errors on fields the form shows stand beside them; the rest are said here.
        const shown = Object.keys(fields).every((key) =>
          SHOWN_FIELDS.some((f) => key.startsWith(f)),
        );
        setError(
          Object.keys(fields).length > 0 && shown
            ? "Some settings need fixing: see the fields marked below."
            : result.error.message,
        );
        setFieldErrors(fields);
        setSaved(false);
        return;
      }
      setError(null);
      setFieldErrors({});
      setSaved(true);
      router.refresh();
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-6" noValidate aria-label="Account settings">
      <fieldset disabled={!canManage || pending} className="space-y-6">
        <section className="space-y-4">
          <h3 className="text-sm font-semibold text-slate-900">Time zone and working hours</h3>
          <Field
            id="settings-time-zone"
            name="timeZone"
            label="Time zone"
            defaultValue={settings.timeZone}
            list="settings-time-zones"
            hint="Working hours and daily caps count in this zone (IANA name, e.g. Europe/Paris)."
            error={errorOf("timeZone")}
            className="max-w-sm"
          />
          <datalist id="settings-time-zones">
            {zones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
          <fieldset>
            <legend className="mb-1.5 block text-sm font-medium text-slate-700">
              Working days
            </legend>
            <div className="flex flex-wrap gap-x-4 gap-y-2">
              {WEEKDAYS.map(({ day, label }) => (
                <label key={day} className="flex items-center gap-1.5 text-sm text-slate-800">
                  <input
                    type="checkbox"
                    name="days"
                    value={day}
                    defaultChecked={settings.workingHours.days.includes(day)}
                    className="size-4 rounded border-slate-300"
                  />
                  {label}
                </label>
              ))}
            </div>
            {errorOf("workingHours.days") ? (
              <p className="mt-1.5 text-sm text-red-700">{errorOf("workingHours.days")}</p>
            ) : null}
          </fieldset>
          <div className="grid max-w-md gap-4 sm:grid-cols-2">
            <Field
              id="settings-start"
              name="start"
              type="time"
              label="Starts at"
              defaultValue={settings.workingHours.start}
              error={errorOf("workingHours.start")}
            />
            <Field
              id="settings-end"
              name="end"
              type="time"
              label="Ends at"
              defaultValue={endOfDayToInput(settings.workingHours.end)}
              error={errorOf("workingHours.end")}
              hint="00:00 means midnight: the end of the day."
            />
          </div>
        </section>

        <section className="space-y-4">
          <div>
            <h3 className="text-sm font-semibold text-slate-900">Caps at full warm-up</h3>
            <p className="mt-0.5 text-xs text-slate-500">
              Per local day unless said otherwise; 0 switches an action off. Warm-up scales each cap
              down, rounded up.
            </p>
          </div>
          <div className="grid gap-4 sm:grid-cols-3 lg:grid-cols-4">
            {DAILY_CAPS.map(({ kind, label }) => (
              <Field
                key={kind}
                id={`settings-cap-${kind}`}
                name={`cap-${kind}`}
                type="number"
                inputMode="numeric"
                min={0}
                step={1}
                label={label}
                defaultValue={settings.caps.perDay[kind]}
                error={errorOf(`caps.perDay.${kind}`)}
              />
            ))}
            <Field
              id="settings-total"
              name="totalPerDay"
              type="number"
              inputMode="numeric"
              min={0}
              step={1}
              label="All actions a day"
              defaultValue={settings.caps.totalPerDay}
              error={errorOf("caps.totalPerDay")}
            />
            <Field
              id="settings-connect-7d"
              name="connectPer7Days"
              type="number"
              inputMode="numeric"
              min={0}
              step={1}
              label="Invitations per rolling 7 days"
              defaultValue={settings.caps.connectPer7Days}
              error={errorOf("caps.connectPer7Days")}
            />
          </div>
        </section>

        <section className="space-y-4">
          <h3 className="text-sm font-semibold text-slate-900">Warm-up and safety</h3>
          <div className="grid gap-4 sm:grid-cols-3">
            <Field
              id="settings-warmup-start"
              name="warmupStartDate"
              type="date"
              label="Warm-up started on"
              defaultValue={settings.warmup.startDate ?? ""}
              hint="Empty: already warmed up, full caps."
              error={errorOf("warmup.startDate")}
            />
            <Field
              id="settings-ramp"
              name="ramp"
              label="Warm-up ramp (% per week)"
              defaultValue={formatRamp(settings.warmup.ramp)}
              hint="Share of each cap in week 1, 2, …; the last holds after."
              error={rampError}
            />
            <Field
              id="settings-pause-below"
              name="pauseBelow"
              type="number"
              inputMode="numeric"
              min={0}
              max={100}
              step={1}
              label="Pause below safety score"
              defaultValue={settings.safety.pauseBelow}
              hint="0 never pauses the account on its score."
              error={errorOf("safety.pauseBelow")}
            />
            <Field
              id="settings-handover-after"
              name="handoverAfterPausedHours"
              type="number"
              inputMode="numeric"
              min={1}
              max={2160}
              step={1}
              label="Pause before handover (hours)"
              defaultValue={settings.safety.handoverAfterPausedHours}
              hint="Paused longer, its campaigns' leads it never reached move to their other seats."
              error={errorOf("safety.handoverAfterPausedHours")}
            />
          </div>
        </section>

        <section className="space-y-4">
          <h3 className="text-sm font-semibold text-slate-900">Pending invitations</h3>
          <div className="grid gap-4 sm:grid-cols-3">
            <Field
              id="settings-withdraw-after"
              name="withdrawAfterDays"
              type="number"
              inputMode="numeric"
              min={0}
              max={365}
              step={1}
              label="Withdraw after (days)"
              defaultValue={settings.invitations.withdrawAfterDays}
              hint="0 never withdraws."
              error={errorOf("invitations.withdrawAfterDays")}
            />
            <Field
              id="settings-withdraw-per-day"
              name="withdrawPerDay"
              type="number"
              inputMode="numeric"
              min={0}
              max={200}
              step={1}
              label="Withdrawals per day"
              defaultValue={settings.invitations.withdrawPerDay}
              error={errorOf("invitations.withdrawPerDay")}
            />
            <Field
              id="settings-pending-ceiling"
              name="pendingCeiling"
              type="number"
              inputMode="numeric"
              min={1}
              max={5000}
              step={1}
              label="Most pending at once"
              defaultValue={settings.invitations.pendingCeiling}
              hint="New invitations wait above it."
              error={errorOf("invitations.pendingCeiling")}
            />
          </div>
        </section>

        <section className="space-y-2">
          <h3 className="text-sm font-semibold text-slate-900">Order of sends</h3>
          <label className="flex items-start gap-2 text-sm text-slate-800">
            <input
              type="checkbox"
              name="priorities"
              defaultChecked={settings.priorities}
              className="mt-0.5 size-4 rounded border-slate-300"
              aria-describedby="settings-priorities-hint"
            />
            <span>Follow-ups first</span>
          </label>
          <p id="settings-priorities-hint" className="text-sm text-slate-500">
            Answers and messages to leads who accepted or replied go before InMails, and InMails
            before first touches; campaigns sharing the seat take turns by their weight. Off: sends
            go in the order they fall due.
          </p>
        </section>
      </fieldset>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={pending || !canManage} title={disabledReason}>
          {pending ? "Saving…" : "Save settings"}
        </Button>
        {disabledReason ? <span className="text-sm text-slate-500">{disabledReason}</span> : null}
      </div>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {saved ? (
        <Alert tone="success">Settings saved: the engine uses them from its next step.</Alert>
      ) : null}
    </form>
  );
}
