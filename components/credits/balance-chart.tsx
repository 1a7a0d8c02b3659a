"use client";
import {
  Area,
  AreaChart,
  CartesianGrid,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatDay, formatShortDay } from "./format";

/** The pool's balance at the end of each day with ledger entries, with its cap for scale. */
export function BalanceChart({
  history,
  cap,
  poolName,
}: {
  history: Array<{ day: string; balance: number }>;
  cap: number;
  poolName: string;
}) {
  if (history.length === 0) {
    return <p className="text-sm text-slate-500">No ledger entries yet: nothing to chart.</p>;
  }
  // A time axis, so a quiet month takes the room a month takes; the last balance holds until
  // today.
  const points = history.map((point) => ({ at: Date.parse(point.day), balance: point.balance }));
  const today = Date.parse(new Date().toISOString().slice(0, 10));
  const last = points.at(-1)!;
  if (today > last.at) points.push({ at: today, balance: last.balance });
  const summary = `Balance of ${poolName} over time: ${history
    .map((point) => `${point.balance} on ${formatDay(point.day)}`)
    .join(", ")}.`;
  return (
    <figure className="h-44 w-full" role="img" aria-label={summary}>
      <ResponsiveContainer
        width="100%"
        height="100%"
        initialDimension={{ width: 480, height: 176 }}
      >
        <AreaChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: -16 }}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          <XAxis
            dataKey="at"
            type="number"
            scale="time"
            domain={["dataMin", "dataMax"]}
            tickFormatter={(at: number) => formatShortDay(new Date(at))}
            tick={{ fontSize: 11, fill: "#64748b" }}
            minTickGap={24}
          />
          <YAxis
            allowDecimals={false}
            domain={[0, Math.max(cap, ...history.map((p) => p.balance))]}
            tick={{ fontSize: 11, fill: "#64748b" }}
          />
          <Tooltip
            labelFormatter={(at) => formatDay(new Date(Number(at)))}
            formatter={(value) => [`${value} credits`, "Balance"]}
          />
          <ReferenceLine
            y={cap}
            stroke="#d97706"
            strokeDasharray="4 4"
            label={{
              value: `cap ${cap}`,
              position: "insideTopRight",
              fontSize: 11,
              fill: "#b45309",
            }}
          />
          <Area
            type="stepAfter"
            dataKey="balance"
            stroke="#2852e0"
            fill="#dbe6fe"
            strokeWidth={2}
            isAnimationActive={false}
          />
        </AreaChart>
      </ResponsiveContainer>
    </figure>
  );
}
