"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { retryHeldStepAction } from "@/app/(app)/campaigns/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export interface CampaignAlertView {
  id: string;
  step: string;
  title: string;
  detail: string | null;
  leads: number;
  createdAt: string;
}

/**
 * Steps on hold because LinkedIn kept refusing their request: what it answered, how many leads
 * wait there, and a Retry (after confirmation) once the cause is fixed.
 */
export function CampaignAlerts({
  alerts,
  canManage,
}: {
  alerts: CampaignAlertView[];
  canManage: boolean;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  if (alerts.length === 0) return null;

  function retry(alert: CampaignAlertView) {
    const ok = window.confirm(
      `Retry "${alert.step}"? Its ${alert.leads} waiting lead${alert.leads === 1 ? "" : "s"} will be sent again.`,
    );
    if (!ok) return;
    startTransition(async () => {
      const result = await retryHeldStepAction({ alertId: alert.id });
      setError(result.ok ? null : result.error.message);
      router.refresh();
    });
  }

  return (
    <div className="space-y-3">
      {alerts.map((alert) => (
        <Alert key={alert.id} tone="error">
          <div className="flex items-start justify-between gap-4">
            <div>
              <p className="font-medium">
                {alert.title} — step “{alert.step}” is on hold
              </p>
              <p className="mt-1 text-sm">
                LinkedIn refused the request several times
                {alert.detail ? ` (details: ${alert.detail})` : ""}. {alert.leads} lead
                {alert.leads === 1 ? " waits" : "s wait"} at this step; none was ended. Fix the
                cause (the message, the account's plan), then retry.
              </p>
            </div>
            <Button
              variant="secondary"
              disabled={pending || !canManage}
              title={canManage ? undefined : "Only owners and admins can retry a step."}
              onClick={() => retry(alert)}
            >
              {pending ? "Retrying…" : "Retry"}
            </Button>
          </div>
        </Alert>
      ))}
      {error ? <Alert tone="error">{error}</Alert> : null}
    </div>
  );
}
