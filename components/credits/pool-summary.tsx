import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { BalanceChart } from "./balance-chart";
import { describeRefundPolicy, formatDay, plural } from "./format";
import type { PoolSummaryView } from "./types";

function Stat({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="rounded-md bg-slate-50 px-3 py-2">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-sm text-slate-900">{children}</dd>
    </div>
  );
}

/** "Recruiter Lite · 30 a month, at most 120 · renews on day 25 · refund on a reply…". */
export function describePool(pool: PoolSummaryView): string {
  return [
    pool.planLabel,
    `${pool.allowance} a month, at most ${pool.cap}`,
    `renews on day ${pool.renewalDay}`,
    describeRefundPolicy(pool.refundPolicy),
  ].join(" · ");
}

/**
 * A pool's balance, its next renewal and what it will grant, a warning when that renewal would
 * forfeit credits, refunds still to come, the seats drawing on it and its balance over time.
 */
export function PoolSummary({ pool, children }: { pool: PoolSummaryView; children?: ReactNode }) {
  const renewal = pool.nextRenewal;
  return (
    <div className="space-y-3">
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
        <Stat label="Balance">
          <span className="text-2xl font-semibold tabular-nums">{pool.balance}</span>
        </Stat>
        <Stat label="Next renewal">
          <span className="block font-medium">{formatDay(renewal.at)}</span>
          <span className="text-slate-600">+{renewal.grant} credits</span>
        </Stat>
        <Stat label="Refunds pending">
          <span className="text-2xl font-semibold tabular-nums">{pool.refundsPending}</span>
        </Stat>
        <Stat label="Seats">
          {pool.accounts.length === 0
            ? "None yet"
            : pool.accounts.map((account) => account.name).join(", ")}
        </Stat>
      </dl>
      {renewal.forfeit > 0 ? (
        <Alert tone="warning">
          {plural(renewal.forfeit, "credit")} will be forfeited at the renewal on{" "}
          {formatDay(renewal.at)} unless {renewal.forfeit === 1 ? "it is" : "they are"} spent first:
          the pool holds at most {pool.cap}, so the renewal can only add {renewal.grant} of its{" "}
          {pool.allowance}.
        </Alert>
      ) : null}
      {children}
      <BalanceChart history={pool.history} cap={pool.cap} poolName={pool.name} />
    </div>
  );
}
