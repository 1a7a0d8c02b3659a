"use client";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { requestJson } from "@/components/ui/api";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import {
  NOTIFICATION_KIND_LABELS,
  NOTIFICATION_KINDS,
  type NotificationChannel,
  type NotificationKind,
} from "@/workflows/notifications/kinds";

const CHANNEL_LABELS: Record<NotificationChannel, string> = {
  in_app: "In the app",
  email: "In the app and by email",
  none: "Not at all",
};

/** Each person's channel per kind, and (owners and admins) the workspace's Slack webhook. */
export function NotificationSettings({
  preferences,
  emailEnabled,
  adminKinds,
  slack,
}: {
  preferences: Record<NotificationKind, NotificationChannel>;
  emailEnabled: boolean;
  adminKinds: NotificationKind[];
  /** Null for members, who cannot change it. */
  slack: { url: string | null; kinds: string[] } | null;
}) {
  const [choices, setChoices] = useState(preferences);
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const visibleKinds = NOTIFICATION_KINDS.filter(
    (kind) => slack !== null || !adminKinds.includes(kind),
  );

  const run = (work: () => Promise<string>) =>
    startTransition(async () => {
      try {
        setMessage(await work());
        setError(null);
      } catch (failure) {
        setMessage(null);
        setError((failure as Error).message);
      }
    });

  const savePreferences = () =>
    run(async () => {
      await requestJson("/api/notifications/preferences", {
        method: "PUT",
        body: { preferences: choices },
      });
      return "Your notification choices are saved.";
    });

  const saveSlack = (form: FormData) =>
    run(async () => {
      const url = String(form.get("slackUrl") ?? "").trim();
      await requestJson("/api/workspace/notifications/slack", {
        method: "PUT",
        body: url ? { url, kinds: form.getAll("slackKinds") } : { url: null },
      });
      return url ? "Slack notifications are saved." : "Slack notifications are off.";
    });

  return (
    <div className="space-y-5 px-5 py-4">
      {emailEnabled ? null : (
        <Alert tone="info">
          Email is off on this server: set SMTP_URL and MAIL_FROM to send notifications by email.
          Until then, "by email" shows them in the app only.
        </Alert>
      )}
      {message ? <Alert tone="success">{message}</Alert> : null}
      {error ? <Alert tone="error">{error}</Alert> : null}
      <table className="w-full text-sm">
        <caption className="sr-only">What you are told, and how</caption>
        <thead>
          <tr className="text-left text-xs text-slate-500">
            <th className="py-1 font-medium">When</th>
            <th className="py-1 font-medium">Tell me</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {visibleKinds.map((kind) => (
            <tr key={kind}>
              <td className="py-1.5 text-slate-800">{NOTIFICATION_KIND_LABELS[kind]}</td>
              <td className="py-1.5">
                <select
                  aria-label={NOTIFICATION_KIND_LABELS[kind]}
                  className="rounded border border-slate-300 px-2 py-1 text-sm"
                  value={choices[kind]}
                  onChange={(event) =>
                    setChoices({ ...choices, [kind]: event.target.value as NotificationChannel })
                  }
                >
                  {(Object.keys(CHANNEL_LABELS) as NotificationChannel[]).map((channel) => (
                    <option key={channel} value={channel}>
                      {CHANNEL_LABELS[channel]}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Button onClick={savePreferences} disabled={pending}>
        Save my choices
      </Button>
      {slack ? (
        <form action={saveSlack} className="space-y-3 border-t border-slate-100 pt-4">
          <h3 className="text-sm font-semibold text-slate-900">Slack</h3>
          <p className="text-sm text-slate-600">
            Post chosen notifications to a Slack channel through an incoming webhook
            (https://hooks.slack.com/…). Leave the address empty to stop.
          </p>
          <Field
            id="slack-url"
            label="Incoming webhook URL"
            name="slackUrl"
            defaultValue={slack.url ?? ""}
            placeholder="https://hooks.slack.com/services/…"
          />
          <fieldset className="grid gap-1 sm:grid-cols-2">
            <legend className="mb-1 text-xs font-medium text-slate-500">Post these</legend>
            {NOTIFICATION_KINDS.map((kind) => (
              <label key={kind} className="flex items-center gap-2 text-sm text-slate-800">
                <input
                  type="checkbox"
                  name="slackKinds"
                  value={kind}
                  defaultChecked={slack.kinds.includes(kind)}
                />
                {NOTIFICATION_KIND_LABELS[kind]}
              </label>
            ))}
          </fieldset>
          <Button type="submit" variant="secondary" disabled={pending}>
            Save Slack
          </Button>
        </form>
      ) : null}
    </div>
  );
}
