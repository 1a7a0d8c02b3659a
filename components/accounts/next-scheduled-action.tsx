import Link from "next/link";
import type { AccountSchedule } from "@/views/accounts";
import { formatAccountTime } from "@/workflows/engine/pacing/local-time";

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** The lead the engine takes up first for this account, and when the account may send next. */
export function NextScheduledAction({
  schedule,
  timeZone,
  now,
}: {
  schedule: AccountSchedule;
  timeZone: string;
  now: Date;
}) {
  const { nextDue, nextFreeAt } = schedule;
  const at = (instant: Date) =>
    instant.getTime() <= now.getTime() ? "due now" : formatAccountTime(instant, timeZone);
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-3 text-sm">
      <dt className="text-slate-500">Next step</dt>
      <dd className="text-slate-800" data-testid="next-due-step">
        {nextDue ? (
          <>
            <span className="font-medium">{nextDue.step}</span> for{" "}
            <Link href={`/leads/${nextDue.leadId}`} className="text-brand-700 hover:underline">
              {nextDue.leadName}
            </Link>{" "}
            in{" "}
            <Link
              href={`/campaigns/${nextDue.campaignId}`}
              className="text-brand-700 hover:underline"
            >
              {nextDue.campaignName}
            </Link>
            <span className="block text-xs text-slate-500">
              {nextDue.waiting ?? at(nextDue.nextRunAt)}
            </span>
          </>
        ) : (
          <span className="text-slate-500">
            No lead waits on this account in a running campaign.
          </span>
        )}
      </dd>
      <dt className="text-slate-500">Next send slot</dt>
      <dd className="text-slate-800">
        {nextFreeAt && nextFreeAt.getTime() > now.getTime()
          ? formatAccountTime(nextFreeAt, timeZone)
          : "Free now"}
      </dd>
      <dt className="text-slate-500">Working hours</dt>
      <dd className="text-slate-800">
        {schedule.withinWorkingHours
          ? "Open now"
          : schedule.opensAt
            ? `Closed; open ${formatAccountTime(schedule.opensAt, timeZone)}`
            : "Closed"}
      </dd>
      <dt className="text-slate-500">In progress</dt>
      <dd className="text-slate-800">{plural(schedule.waiting, "lead")} in running campaigns</dd>
    </dl>
  );
}
