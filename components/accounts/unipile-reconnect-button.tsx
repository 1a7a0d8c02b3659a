"use client";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { callUnipileRoute } from "./unipile-credentials-form";

/** Sends the browser to a Unipile sign-in that reconnects this seat. */
export function UnipileReconnectButton({
  accountId,
  accountName,
  canManage,
}: {
  accountId: string;
  accountName: string;
  canManage: boolean;
}) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);

  function onClick() {
    startTransition(async () => {
      const result = await callUnipileRoute(
        `/api/accounts/unipile/${encodeURIComponent(accountId)}/reconnect`,
        "POST",
      );
      if (!result.ok) {
        setError(result.message);
        return;
      }
      window.location.assign(String(result.data.url));
    });
  }

  return (
    <div className="flex flex-col items-end gap-2">
      <Button
        className="px-2.5 py-1 text-xs"
        disabled={pending || !canManage}
        title={canManage ? undefined : "Only owners and admins can reconnect accounts."}
        aria-label={`Reconnect ${accountName}`}
        onClick={onClick}
      >
        {pending ? "Opening Unipile…" : "Reconnect"}
      </Button>
      {error ? (
        <Alert tone="error" className="max-w-xs text-xs">
          {error}
        </Alert>
      ) : null}
    </div>
  );
}
