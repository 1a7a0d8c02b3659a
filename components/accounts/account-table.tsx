import { StatusBadge } from "@/components/campaigns/status-badge";
import type { SenderAccountView } from "@/server/accounts";
import { AccountStatusButton } from "./account-status-button";

const DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

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

const USAGE_ROWS = [
  { key: "connect", label: "Invitations" },
  { key: "visit", label: "Visits" },
  { key: "follow", label: "Follows" },
  { key: "message", label: "Messages" },
  { key: "inmail", label: "InMails" },
  { key: "total", label: "All actions" },
  { key: "connect_7d", label: "Invitations, 7 days" },
] as const;

function UsageMeter({ usage }: { usage: NonNullable<SenderAccountView["usage"]> }) {
  return (
    <dl className="grid min-w-56 grid-cols-[auto_1fr_auto] items-center gap-x-2 gap-y-1 text-xs">
      {USAGE_ROWS.map(({ key, label }) => {
        const used = usage.used[key];
        const cap = usage.caps[key];
        const share = cap === 0 ? 1 : Math.min(1, used / cap);
        return (
          <div key={key} className="contents">
            <dt className="text-slate-600">{label}</dt>
            <dd className="h-1.5 overflow-hidden rounded-full bg-slate-100">
              <div
                className={share >= 1 ? "h-full bg-amber-500" : "h-full bg-brand-500"}
                style={{ width: `${Math.round(share * 100)}%` }}
              />
            </dd>
            <dd className="text-right tabular-nums text-slate-700">
              {used}/{cap}
            </dd>
          </div>
        );
      })}
    </dl>
  );
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
                <div className="font-medium text-slate-900">{account.name}</div>
                <div className="text-xs text-slate-500">
                  {account.provider === "sandbox" ? "Sandbox LinkedIn" : account.provider}
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
