"use client";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { CampaignDashboard } from "@/views/dashboard";
import { ACTION_KINDS, byActionKind } from "@/workflows/nodes/index";
import { KIND_COLOURS, KIND_LABELS } from "./format";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Days without activity between two active ones are drawn as empty, up to this span. */
const MAX_FILLED_DAYS = 400;

/** Every date from the first to the last, so quiet days show as gaps in the chart. */
function withQuietDays(days: CampaignDashboard["daily"]): CampaignDashboard["daily"] {
  if (days.length < 2) return days;
  const first = Date.parse(`${days[0]!.date}T00:00:00Z`);
  const last = Date.parse(`${days.at(-1)!.date}T00:00:00Z`);
  const span = Math.round((last - first) / DAY_MS);
  if (span > MAX_FILLED_DAYS) return days;
  const byDate = new Map(days.map((day) => [day.date, day]));
  return Array.from({ length: span + 1 }, (_, i) => {
    const date = new Date(first + i * DAY_MS).toISOString().slice(0, 10);
    return byDate.get(date) ?? { date, accepted: 0, replied: 0, ...byActionKind(() => 0) };
  });
}

/** Sent actions per day and kind, on each sender's own calendar. */
export function DailyActivity({ days }: { days: CampaignDashboard["daily"] }) {
  if (days.length === 0) {
    return (
      <p className="px-5 py-6 text-sm text-slate-600">
        Nothing sent yet: the chart fills in as the engine works through the sender's hours.
      </p>
    );
  }
  const data = withQuietDays(days);
  return (
    <div className="h-72 px-2 py-4" role="img" aria-label="Sent actions per day and kind">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 4, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="date" tick={{ fontSize: 12 }} tickMargin={6} minTickGap={16} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={40} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {ACTION_KINDS.map((kind) => (
            <Bar
              key={kind}
              dataKey={kind}
              name={KIND_LABELS[kind]}
              stackId="sent"
              fill={KIND_COLOURS[kind]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
