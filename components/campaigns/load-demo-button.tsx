"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { loadDemoAction } from "@/app/(app)/campaigns/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/** One click: a sandbox sender, 200 sandbox leads and a running campaign, then its page. */
export function LoadDemoButton({ canManage }: { canManage: boolean }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);

  function onClick() {
    startTransition(async () => {
      const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      const result = await loadDemoAction({ timeZone });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      router.push(`/campaigns/${result.data.campaignId}`);
    });
  }

  return (
    <div className="flex flex-col items-center gap-3">
      <Button
        onClick={onClick}
        disabled={pending || !canManage}
        title={canManage ? undefined : "Only owners and admins can load the demo."}
      >
        {pending ? "Loading the demo…" : "Load demo"}
      </Button>
      {canManage ? (
        <p className="text-xs text-slate-500">
          A sandbox sender, 200 sandbox leads and a running campaign. Nothing reaches LinkedIn.
        </p>
      ) : (
        <p className="text-xs text-slate-500">Only owners and admins can load the demo.</p>
      )}
      {error ? <Alert tone="error">{error}</Alert> : null}
    </div>
  );
}
