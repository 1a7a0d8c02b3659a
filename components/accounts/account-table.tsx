import Link from "next/link";
import { StatusBadge } from "@/components/campaigns/status-badge";
import type { SenderAccountView } from "@/views/accounts";
import { LINKEDIN_PLAN_LABELS, type LinkedinPlan } from "@/workflows/providers/types";
import { AccountStatusButton } from "./account-status-button";
import { UsageMeter } from "./usage-meter";

const DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** Where the seat lives, in words. */
export function providerLabel(provider: string): string {
  if (provider === "sandbox") return "Sandbox LinkedIn";
  if (provider === "unipile") return "LinkedIn through Unipile";
  return provider;
}

/** "Mon–Fri" for a run of days, "Mon, Wed, Fri" otherwise. */
export function describeDays(days: number[]): string {
  const sorted = [...days].sort((a, b) => a - b);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (first === undefined || last === undefined) return "No days";
  if (sorted.length > 2 && last - first === sorted.length - 1) {
    return `${DAY_NAMES[first - 1]}–${DAY_NAMES[last - 1]}`;
  }
  return sorted.map((day) => DAY_NAMES[day - 1]).join(", ");
}

/** Sender accounts with their hours, status and today's usage against the caps in force. */
export function AccountTable({
  accounts,
  canManage,
}: {
  accounts: SenderAccountView[];
  canManage: boolean;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="px-5 py-2.5 font-medium">Account</th>
            <th className="py-2.5 pr-3 font-medium">Working hours</th>
            <th className="py-2.5 pr-3 font-medium">Status</th>
            <th className="py-2.5 pr-3 font-medium">Today's usage</th>
            <th className="py-2.5 pr-5 font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">
          {accounts.map((account) => (
            <tr key={account.id}>
              <td className="px-5 py-3">
                <Link
                  href={`/accounts/${account.id}`}
                  className="font-medium text-slate-900 hover:text-brand-700 hover:underline"
                >
                  {account.name}
                </Link>
                <div className="text-xs text-slate-500">
                  {providerLabel(account.provider)}
                  {account.provider === "unipile"
                    ? ` · ${LINKEDIN_PLAN_LABELS[account.linkedinPlan as LinkedinPlan] ?? account.linkedinPlan}`
                    : ""}
                </div>
              </td>
              <td className="py-3 pr-3 text-slate-700">
                <div>
                  {describeDays(account.workingHours.days)} {account.workingHours.start}–
                  {account.workingHours.end}
                </div>
                <div className="text-xs text-slate-500">{account.timeZone}</div>
              </td>
              <td className="py-3 pr-3">
                <StatusBadge status={account.status} />
                {account.statusReason ? (
                  <div className="mt-1 max-w-48 text-xs text-slate-500">{account.statusReason}</div>
                ) : null}
              </td>
              <td className="py-3 pr-3">
                {account.usage ? (
                  <>
                    <UsageMeter usage={account.usage} />
                    <p className="mt-1.5 text-xs text-slate-500">
                      {account.usage.localDate}
                      {account.usage.warmupFactor < 1
                        ? ` · warming up: ${Math.round(account.usage.warmupFactor * 100)}% of the caps`
                        : ""}
                    </p>
                  </>
                ) : (
                  <span className="text-xs text-red-700">Its pacing settings cannot be read.</span>
                )}
              </td>
              <td className="py-3 pr-5 text-right">
                <AccountStatusButton
                  accountId={account.id}
                  accountName={account.name}
                  status={account.status}
                  canManage={canManage}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
