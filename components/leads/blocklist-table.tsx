"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { removeFromBlocklistAction } from "@/app/(app)/leads/actions";
import { LocalTime } from "@/components/campaigns/local-time";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export interface BlocklistRow {
  publicIdentifier: string;
  reason: string | null;
  createdAt: string;
  lead: { id: string; name: string; company: string } | null;
}

/** The blocklist's entries, each with the lead it names (when imported) and a remove button. */
export function BlocklistTable({
  entries,
  canManage,
}: {
  entries: BlocklistRow[];
  canManage: boolean;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [removing, setRemoving] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  function remove(publicIdentifier: string) {
    setRemoving(publicIdentifier);
    startTransition(async () => {
      const result = await removeFromBlocklistAction({ publicIdentifiers: [publicIdentifier] });
      setError(result.ok ? null : result.error.message);
      setRemoving(null);
      router.refresh();
    });
  }

  return (
    <div className="overflow-x-auto">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="px-5 py-2.5 font-medium">Profile</th>
            <th className="py-2.5 pr-3 font-medium">Lead</th>
            <th className="py-2.5 pr-3 font-medium">Reason</th>
            <th className="py-2.5 pr-3 font-medium">Added</th>
            <th className="py-2.5 pr-5 font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {entries.map((entry) => (
            <tr key={entry.publicIdentifier}>
              <td className="px-5 py-2.5 font-mono text-xs text-slate-800">
                {entry.publicIdentifier}
              </td>
              <td className="py-2.5 pr-3">
                {entry.lead ? (
                  <Link
                    href={`/leads/${entry.lead.id}`}
                    className="text-slate-900 hover:text-brand-700 hover:underline"
                  >
                    {entry.lead.name}
                  </Link>
                ) : (
                  <span className="text-xs text-slate-500">not imported</span>
                )}
                {entry.lead?.company ? (
                  <div className="text-xs text-slate-500">{entry.lead.company}</div>
                ) : null}
              </td>
              <td className="py-2.5 pr-3 text-slate-700">{entry.reason ?? ""}</td>
              <td className="whitespace-nowrap py-2.5 pr-3 text-slate-600">
                <LocalTime iso={entry.createdAt} />
              </td>
              <td className="py-2.5 pr-5 text-right">
                <Button
                  variant="ghost"
                  className="px-2 py-1 text-xs text-red-700"
                  disabled={pending || !canManage}
                  title={canManage ? undefined : "Only owners and admins can change the blocklist."}
                  aria-label={`Remove ${entry.publicIdentifier} from the blocklist`}
                  onClick={() => remove(entry.publicIdentifier)}
                >
                  {removing === entry.publicIdentifier ? "Removing…" : "Remove"}
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
