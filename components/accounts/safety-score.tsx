import { cn } from "@/components/ui/cn";
import type { AccountSafety } from "@/views/accounts";

function tone(score: number, pauseBelow: number) {
  if (pauseBelow > 0 && score < pauseBelow) return { bar: "bg-red-500", text: "text-red-700" };
  if (score < 70) return { bar: "bg-amber-500", text: "text-amber-700" };
  return { bar: "bg-emerald-500", text: "text-emerald-700" };
}

/** The account's safety score, its four factors, and the weakest of them named. */
export function SafetyScorePanel({ safety }: { safety: AccountSafety }) {
  const overall = tone(safety.score, safety.pauseBelow);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <p className={cn("text-4xl font-semibold tabular-nums", overall.text)}>
          <span className="sr-only">Safety score: </span>
          {safety.score}
          <span className="text-base font-normal text-slate-500"> / 100</span>
        </p>
        <p className="text-sm text-slate-600">
          {safety.pauseBelow > 0
            ? `Pauses itself below ${safety.pauseBelow}.`
            : "Never pauses itself on its score."}
        </p>
      </div>
      <p className="text-sm text-slate-700">
        Weakest factor: <strong className="font-semibold">{safety.weakest.label}</strong> —{" "}
        {safety.weakest.detail}.
      </p>
      {safety.pauseReason ? (
        <p className="text-sm text-red-700">
          Below its threshold: the engine pauses it before its next send.
        </p>
      ) : null}
      <ul className="space-y-3" aria-label="Safety factors">
        {safety.factors.map((factor) => {
          const factorTone = tone(factor.score, safety.pauseBelow);
          return (
            <li key={factor.key}>
              <div className="flex items-baseline justify-between gap-3 text-sm">
                <span className="font-medium text-slate-800">
                  <span>{factor.label}</span>
                  {factor.key === safety.weakest.key ? (
                    <span className="ml-2 rounded-full bg-slate-100 px-2 py-0.5 text-xs font-normal text-slate-600">
                      weakest
                    </span>
                  ) : null}
                </span>
                <span className={cn("tabular-nums", factorTone.text)}>{factor.score}</span>
              </div>
              <div
                className="mt-1 h-1.5 overflow-hidden rounded-full bg-slate-100"
                aria-hidden="true"
              >
                <div
                  className={cn("h-full", factorTone.bar)}
                  style={{ width: `${factor.score}%` }}
                />
              </div>
              <p className="mt-1 text-xs text-slate-500">
                {factor.detail}
                {factor.enoughData ? "" : "; counted as healthy until then"}
              </p>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
