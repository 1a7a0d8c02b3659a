"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { pauseCampaignAction, resumeCampaignAction } from "@/app/(app)/campaigns/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";

/** Pause for a running campaign, Resume for a paused one (Launch for a draft). */
export function CampaignStatusButton({
  campaignId,
  campaignName,
  status,
  canManage,
  compact = false,
}: {
  campaignId: string;
  campaignName: string;
  status: string;
  canManage: boolean;
  compact?: boolean;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  if (status === "finished") return null;
  const pausing = status === "running";
  const label = pausing ? "Pause" : status === "draft" ? "Launch" : "Resume";
  const reason = canManage ? undefined : "Only owners and admins can pause or resume campaigns.";

  function onClick() {
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
        onClick={onClick}
      >
        {pending ? (pausing ? "Pausing…" : "Resuming…") : label}
      </Button>
      {error ? (
        <Alert tone="error" className="max-w-xs text-xs">
          {error}
        </Alert>
      ) : null}
    </div>
  );
}
