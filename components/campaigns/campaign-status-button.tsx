"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { pauseCampaignAction, resumeCampaignAction } from "@/app/(app)/campaigns/actions";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { formatNumber } from "@/components/ui/format";

/** Launching at least this many leads at once asks first. */
export const CONFIRM_LAUNCH_FROM = 10;

/**
 * Pause for a running campaign, Resume for a paused one, Launch for a published draft, and
 * "Publish and launch" (to the editor, which shows the checklist if it cannot publish) for a
 * draft that was never published: only what can work is offered.
 */
export function CampaignStatusButton({
  campaignId,
  campaignName,
  status,
  published,
  leadCount,
  canManage,
  compact = false,
}: {
  campaignId: string;
  campaignName: string;
  status: string;
  published: boolean;
  leadCount: number;
  canManage: boolean;
  compact?: boolean;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  if (status === "finished" || status === "archived") return null;
  if (status === "draft" && !published) {
    if (!canManage) return null;
    return (
      <Link
        href={`/campaigns/${campaignId}/edit?launch=1`}
        className={buttonClass("primary", compact ? "px-2.5 py-1 text-xs" : undefined)}
        aria-label={compact ? `Publish and launch ${campaignName}` : undefined}
      >
        Publish and launch
      </Link>
    );
  }
  const pausing = status === "running";
  const launching = status === "draft";
  const label = pausing ? "Pause" : launching ? "Launch" : "Resume";
  const reason = canManage ? undefined : "Only owners and admins can pause or resume campaigns.";

  function run() {
    setConfirming(false);
    startTransition(async () => {
      const result = pausing
        ? await pauseCampaignAction({ campaignId })
        : await resumeCampaignAction({ campaignId });
      setError(result.ok ? null : result.error.message);
      router.refresh();
    });
  }

  return (
    <div className={cn("flex flex-col items-end gap-2", compact && "items-start")}>
      <Button
        variant={pausing ? "secondary" : "primary"}
        className={compact ? "px-2.5 py-1 text-xs" : undefined}
        disabled={pending || !canManage}
        title={reason}
        aria-label={compact ? `${label} ${campaignName}` : undefined}
        onClick={() =>
          launching && leadCount >= CONFIRM_LAUNCH_FROM ? setConfirming(true) : run()
        }
      >
        {pending ? (pausing ? "Pausing…" : launching ? "Launching…" : "Resuming…") : label}
      </Button>
      <ConfirmDialog
        open={confirming}
        title={`Launch ${campaignName}?`}
        confirmLabel={`Launch for ${formatNumber(leadCount)} leads`}
        onConfirm={run}
        onCancel={() => setConfirming(false)}
      >
        <p>
          {formatNumber(leadCount)} leads start at once: invitations, messages and InMails go out
          inside each account's working hours. You can pause the campaign at any time.
        </p>
      </ConfirmDialog>
      {error ? (
        <Alert tone="error" className="max-w-xs text-xs">
          {error}
        </Alert>
      ) : null}
    </div>
  );
}
