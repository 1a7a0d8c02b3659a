"use client";
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatCalendarDay } from "@/components/ui/format";
import type { WarmupDay } from "@/views/accounts";
import { ACTION_KINDS, ACTIONS } from "@/workflows/nodes/index";

const LINES = [
  { key: "total", label: "All actions", color: "#0f172a" },
  ...ACTION_KINDS.map((kind) => ({
    key: kind,
    label: ACTIONS[kind].plural,
    color: ACTIONS[kind].chartColour,
  })),
];

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** "3 Mar" for a local date "2026-03-03", read as a calendar date (no time zone shift). */
export function shortDate(date: string): string {
  return formatCalendarDay(date);
}

/** Consecutive days with the same share of the caps: one row per step of the ramp. */
export function warmupSteps(days: WarmupDay[]) {
  const steps: Array<{ from: string; to: string; day: WarmupDay }> = [];
  for (const day of days) {
    const last = steps[steps.length - 1];
    if (last && last.day.factor === day.factor) last.to = day.date;
    else steps.push({ from: day.date, to: day.date, day });
  }
  return steps;
}

/**
 * The caps in force on each of the next 35 days as step lines, with the same figures as a
 * table below: one row per step of the ramp.
 */
export function WarmupChart({ days }: { days: WarmupDay[] }) {
  const data = days.map((day) => ({
    label: `${WEEKDAYS[day.weekday - 1]} ${shortDate(day.date)}`,
    working: day.working,
    share: Math.round(day.factor * 100),
    ...day.caps,
  }));
  const steps = warmupSteps(days);
  const warmedUp = steps.length === 1 && steps[0]?.day.factor === 1;
  return (
    <figure aria-labelledby="warmup-chart-caption" className="space-y-4">
      <figcaption id="warmup-chart-caption" className="text-sm text-slate-600">
        {warmedUp
          ? "Warmed up: the full caps hold on every day of the next five weeks."
          : `Caps in force per day from ${shortDate(days[0]?.date ?? "")} to ${shortDate(
              days[days.length - 1]?.date ?? "",
            )}, scaled by the warm-up ramp.`}
      </figcaption>
      <div className="h-64 w-full" data-testid="warmup-chart">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: -8 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey="label" tick={{ fontSize: 11 }} interval={6} />
            <YAxis tick={{ fontSize: 11 }} allowDecimals={false} />
            <Tooltip
              formatter={(value, name) => [value, name]}
              labelFormatter={(label, payload) => {
                const point = payload?.[0]?.payload as (typeof data)[number] | undefined;
                if (!point) return label;
                return `${label} · ${point.share} % of the caps${point.working ? "" : " · not a working day"}`;
              }}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {LINES.map((line) => (
              <Line
                key={line.key}
                type="stepAfter"
                dataKey={line.key}
                name={line.label}
                stroke={line.color}
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Caps in force per day, step by step of the ramp</caption>
          <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-2 pr-3 font-medium">Days</th>
              <th className="py-2 pr-3 text-right font-medium">Share</th>
              {ACTION_KINDS.map((kind) => (
                <th key={kind} className="py-2 pr-3 text-right font-medium">
                  {ACTIONS[kind].plural}
                </th>
              ))}
              <th className="py-2 pr-3 text-right font-medium">All actions</th>
              <th className="py-2 text-right font-medium">Invitations, 7 days</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 tabular-nums text-slate-700">
            {steps.map(({ from, to, day }) => (
              <tr key={from}>
                <th scope="row" className="py-2 pr-3 font-normal text-slate-900">
                  {from === to ? shortDate(from) : `${shortDate(from)} – ${shortDate(to)}`}
                </th>
                <td className="py-2 pr-3 text-right">{Math.round(day.factor * 100)} %</td>
                {ACTION_KINDS.map((kind) => (
                  <td key={kind} className="py-2 pr-3 text-right">
                    {day.caps[kind]}
                  </td>
                ))}
                <td className="py-2 pr-3 text-right">{day.caps.total}</td>
                <td className="py-2 text-right">{day.caps.connect_7d}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
