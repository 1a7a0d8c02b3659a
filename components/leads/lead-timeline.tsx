import Link from "next/link";
import { LocalTime } from "@/components/campaigns/local-time";
import { cn } from "@/components/ui/cn";
import type { TimelineItem, TimelineKind } from "@/workflows/leads/timeline";

const DOTS: Record<TimelineKind, string> = {
  enrolled: "bg-brand-600",
  step: "bg-slate-300",
  branch: "bg-violet-500",
  ended: "bg-slate-500",
  action: "bg-sky-500",
  event: "bg-emerald-500",
  credit: "bg-amber-500",
};

const STATUS_TEXT: Record<string, string> = {
  sent: "text-emerald-700",
  not_sent: "text-amber-800",
  skipped: "text-amber-800",
  failed: "text-red-700",
  intent: "text-slate-500",
};

/** Every enrolment, move, branch, send, event and credit of one lead, oldest first. */
export function LeadTimeline({ items }: { items: TimelineItem[] }) {
  if (items.length === 0) {
    return (
      <p className="px-5 py-6 text-sm text-slate-600">
        Nothing yet: enroll this lead in a campaign and each step it takes shows here.
      </p>
    );
  }
  return (
    <ol className="relative space-y-0 px-5 py-4" aria-label="Timeline">
      {items.map((item) => (
        <li key={item.key} className="group relative flex gap-3 pb-4 last:pb-0">
          <span
            aria-hidden="true"
            className="absolute top-4 bottom-0 left-[5px] w-px bg-slate-200 group-last:hidden"
          />
          <span
            aria-hidden="true"
            className={cn("relative mt-1.5 size-[11px] shrink-0 rounded-full", DOTS[item.kind])}
          />
          <div className="min-w-0 flex-1">
            <div className="flex flex-wrap items-baseline justify-between gap-x-3">
              <p
                className={cn(
                  "text-sm font-medium text-slate-900",
                  item.status ? STATUS_TEXT[item.status] : undefined,
                )}
              >
                {item.title}
                {item.credits !== null ? (
                  <span className="ml-1.5 text-xs font-normal text-slate-500">
                    ({Math.abs(item.credits)} credit{Math.abs(item.credits) === 1 ? "" : "s"}
                    {item.credits < 0 ? " back" : ""})
                  </span>
                ) : null}
              </p>
              <span className="whitespace-nowrap text-xs text-slate-500">
                <LocalTime iso={new Date(item.at).toISOString()} />
              </span>
            </div>
            <div className="mt-0.5 flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-slate-600">
              {item.campaign ? (
                <Link
                  href={`/campaigns/${item.campaign.id}`}
                  className="font-medium text-brand-700 hover:underline"
                >
                  {item.campaign.name}
                </Link>
              ) : null}
              {item.step ? <span>at {item.step}</span> : null}
              {item.branch && item.kind !== "enrolled" ? <span>branch: {item.branch}</span> : null}
              {item.variant ? <span>variant {item.variant}</span> : null}
            </div>
            {item.detail ? <p className="mt-0.5 text-xs text-slate-500">{item.detail}</p> : null}
            {item.text ? (
              <blockquote className="mt-1 whitespace-pre-wrap border-l-2 border-slate-200 pl-2 text-sm text-slate-700">
                {item.text}
              </blockquote>
            ) : null}
          </div>
        </li>
      ))}
    </ol>
  );
}
