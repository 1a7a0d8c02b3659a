"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { setLeadBlockedAction } from "@/app/(app)/leads/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/** Puts one lead on the workspace blocklist (stopping its campaigns), or takes it off. */
export function LeadBlockButton({
  leadId,
  leadName,
  blocked,
  canManage,
}: {
  leadId: string;
  leadName: string;
  blocked: boolean;
  canManage: boolean;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);

  function toggle() {
    if (!blocked && !window.confirm(`Blocklist ${leadName}? Campaigns contacting them stop.`)) {
      return;
    }
    startTransition(async () => {
      const result = await setLeadBlockedAction({ leadId, blocked: !blocked });
      if (!result.ok) {
        setMessage({ tone: "error", text: result.error.message });
        return;
      }
      const stopped = result.data.stoppedEnrollments;
      setMessage(
        result.data.blocked
          ? {
              tone: "success",
              text:
                stopped > 0
                  ? `Blocklisted: ${stopped} campaign${stopped === 1 ? "" : "s"} stopped contacting them.`
                  : "Blocklisted: no campaign will enroll them.",
            }
          : { tone: "success", text: "Taken off the blocklist." },
      );
      router.refresh();
    });
  }

  return (
    <div className="flex flex-col items-end gap-2">
      <Button
        variant={blocked ? "secondary" : "danger"}
        onClick={toggle}
        disabled={pending || !canManage}
        title={canManage ? undefined : "Only owners and admins can change the blocklist."}
      >
        {pending ? "Saving…" : blocked ? "Remove from blocklist" : "Add to blocklist"}
      </Button>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
    </div>
  );
}
