import type { AccountUsage } from "@/views/accounts";
import { ACTION_KINDS, ACTIONS } from "@/workflows/nodes/index";

export const USAGE_ROWS: ReadonlyArray<{
  key: keyof AccountUsage["used"];
  label: string;
}> = [
  ...ACTION_KINDS.map((kind) => ({ key: kind, label: ACTIONS[kind].plural })),
  { key: "total", label: "All actions" },
  { key: "connect_7d", label: "Invitations, 7 days" },
];

/** Today's usage against each cap in force, one bar per cap. */
export function UsageMeter({ usage, wide = false }: { usage: AccountUsage; wide?: boolean }) {
  return (
    <dl
      className={
        wide
          ? "grid grid-cols-[auto_1fr_auto] items-center gap-x-3 gap-y-2 text-sm"
          : "grid min-w-56 grid-cols-[auto_1fr_auto] items-center gap-x-2 gap-y-1 text-xs"
      }
    >
      {USAGE_ROWS.map(({ key, label }) => {
        const used = usage.used[key];
        const cap = usage.caps[key];
        const share = cap === 0 ? 1 : Math.min(1, used / cap);
        return (
          <div key={key} className="contents">
            <dt className="text-slate-600">{label}</dt>
            <dd
              className={
                wide
                  ? "h-2 overflow-hidden rounded-full bg-slate-100"
                  : "h-1.5 overflow-hidden rounded-full bg-slate-100"
              }
            >
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
