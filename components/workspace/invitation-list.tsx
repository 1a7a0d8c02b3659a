"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { revokeInvitationAction } from "@/app/(app)/actions";
import { Button } from "@/components/ui/button";
import { formatDate } from "@/components/ui/format";

interface InvitationRow {
  id: string;
  email: string;
  role: string | null;
  expiresAt: string;
}

export function InvitationList({
  invitations,
  canRevoke,
}: {
  invitations: InvitationRow[];
  canRevoke: boolean;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  if (invitations.length === 0) {
    return <p className="text-sm text-slate-500">No pending invitations.</p>;
  }
  return (
    <div>
      {error ? <p className="mb-2 text-sm text-red-700">{error}</p> : null}
      <ul className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200">
        {invitations.map((invitation) => (
          <li key={invitation.id} className="px-4 py-3">
            <div className="flex items-center justify-between gap-3">
              <div className="text-sm">
                <span className="font-medium text-slate-900">{invitation.email}</span>
                <span className="text-slate-500">
                  {" "}
                  · {invitation.role ?? "member"} · expires {formatDate(invitation.expiresAt)}
                </span>
              </div>
              {canRevoke ? (
                <Button
                  variant="danger"
                  className="px-2.5 py-1 text-xs"
                  disabled={pending}
                  onClick={() =>
                    startTransition(async () => {
                      const result = await revokeInvitationAction({ invitationId: invitation.id });
                      setError(result.ok ? null : result.error.message);
                      router.refresh();
                    })
                  }
                >
                  Revoke
                </Button>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
