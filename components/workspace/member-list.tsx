"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { changeMemberRoleAction, removeMemberAction } from "@/app/(app)/actions";
import { Button } from "@/components/ui/button";

interface MemberRow {
  id: string;
  userId: string;
  name: string;
  email: string;
  role: string;
}

type Role = "owner" | "admin" | "member";

export function MemberList({
  members,
  currentUserId,
  currentRole,
}: {
  members: MemberRow[];
  currentUserId: string;
  currentRole: Role;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);

  function run(action: () => Promise<{ ok: boolean; error?: { message: string } }>) {
    startTransition(async () => {
      const result = await action();
      setError(result.ok ? null : (result.error?.message ?? "That did not work."));
      router.refresh();
    });
  }

  return (
    <div className="px-5 py-4">
      {error ? <p className="mb-3 text-sm text-red-700">{error}</p> : null}
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="py-2 font-medium">Name</th>
            <th className="py-2 font-medium">Email</th>
            <th className="py-2 font-medium">Role</th>
            <th className="py-2 font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {members.map((m) => {
            const isSelf = m.userId === currentUserId;
            const canRemove =
              isSelf ||
              (currentRole === "owner" && true) ||
              (currentRole === "admin" && m.role !== "owner");
            return (
              <tr key={m.id}>
                <td className="py-2.5 font-medium text-slate-900">
                  {m.name}
                  {isSelf ? <span className="text-slate-500"> (you)</span> : null}
                </td>
                <td className="py-2.5 text-slate-600">{m.email}</td>
                <td className="py-2.5">
                  {currentRole === "owner" ? (
                    <select
                      aria-label={`Role of ${m.name}`}
                      className="rounded-md border-0 bg-white py-1 pl-2 pr-7 text-sm ring-1 ring-inset ring-slate-300"
                      value={m.role}
                      disabled={pending}
                      onChange={(e) =>
                        run(() =>
                          changeMemberRoleAction({ memberId: m.id, role: e.target.value as Role }),
                        )
                      }
                    >
                      <option value="owner">Owner</option>
                      <option value="admin">Admin</option>
                      <option value="member">Member</option>
                    </select>
                  ) : (
                    <span className="capitalize text-slate-700">{m.role}</span>
                  )}
                </td>
                <td className="py-2.5 text-right">
                  {canRemove ? (
                    <Button
                      variant="ghost"
                      className="px-2 py-1 text-xs text-red-700"
                      disabled={pending}
                      onClick={() => run(() => removeMemberAction({ memberId: m.id }))}
                    >
                      {isSelf ? "Leave" : "Remove"}
                    </Button>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
