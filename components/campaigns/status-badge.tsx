import { cn } from "@/components/ui/cn";

const STATUS_STYLES: Record<string, { label: string; className: string }> = {
  running: { label: "Running", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" },
  paused: { label: "Paused", className: "bg-amber-50 text-amber-900 ring-amber-200" },
  draft: { label: "Draft", className: "bg-slate-100 text-slate-700 ring-slate-200" },
  finished: { label: "Finished", className: "bg-brand-50 text-brand-700 ring-brand-100" },
  active: { label: "Active", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" },
  cooling_down: { label: "Cooling down", className: "bg-amber-50 text-amber-900 ring-amber-200" },
  restricted: { label: "Restricted", className: "bg-red-50 text-red-800 ring-red-200" },
  needs_reconnect: {
    label: "Needs reconnecting",
    className: "bg-red-50 text-red-800 ring-red-200",
  },
};

/** A campaign's or a sender account's status as a coloured pill. */
export function StatusBadge({ status, className }: { status: string; className?: string }) {
  const style = STATUS_STYLES[status] ?? {
    label: status.replaceAll("_", " "),
    className: "bg-slate-100 text-slate-700 ring-slate-200",
  };
  return (
    <span
      className={cn(
        "inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset",
        style.className,
        className,
      )}
    >
      {style.label}
    </span>
  );
}
