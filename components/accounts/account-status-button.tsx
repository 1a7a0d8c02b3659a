"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { pauseAccountAction, resumeAccountAction } from "@/app/(app)/accounts/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/**
 * Pause for an account at work, Resume for one a person paused. Restrictions and lost
 * connections are not lifted from here, so those get no button.
 */
export function AccountStatusButton({
  accountId,
  accountName,
  status,
  canManage,
}: {
  accountId: string;
  accountName: string;
  status: string;
  canManage: boolean;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const pausing = status === "active" || status === "cooling_down";
  if (!pausing && status !== "paused") return null;
  const label = pausing ? "Pause" : "Resume";

  function onClick() {
    startTransition(async () => {
      const result = pausing
        ? await pauseAccountAction({ accountId })
        : await resumeAccountAction({ accountId });
      setError(result.ok ? null : result.error.message);
      router.refresh();
    });
  }

  return (
    <div className="flex flex-col items-end gap-2">
      <Button
        variant={pausing ? "secondary" : "primary"}
        className="px-2.5 py-1 text-xs"
        disabled={pending || !canManage}
        title={canManage ? undefined : "Only owners and admins can pause or resume accounts."}
        aria-label={`${label} ${accountName}`}
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
