"use client";
import { useEffect, useRef, useState } from "react";
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
import { Alert } from "@/components/ui/alert";
import { ApiError, requestJson } from "@/components/ui/api";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import type { ForecastSummary } from "@/workflows/simulation/forecast";

/** What the forecast route answers (server/forecast.ts). */
interface Forecast extends ForecastSummary {
  start: string;
  days: number;
  seats: string[];
  leads: number;
}

interface WhatIf {
  seats: string;
  connectCap: string;
  leads: string;
}

const COLOURS = ["#4f46e5", "#0891b2", "#ea580c", "#16a34a", "#db2777", "#64748b"];

function day(iso: string): string {
  return new Date(iso).toLocaleDateString("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  });
}

function whole(value: string): number | undefined {
  const n = Number(value);
  return value.trim() !== "" && Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * Runs the campaign on a virtual clock with several seeds (on the server, against the sandbox:
 * nothing is sent) and shows when it will finish, what each seat sends per day and what the
 * InMails cost; "What if" reruns it with other seats, another invitation cap or lead count.
 */
export function ForecastPanel({ campaignId }: { campaignId: string }) {
  const [forecast, setForecast] = useState<Forecast | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [whatIf, setWhatIf] = useState<WhatIf>({ seats: "", connectCap: "", leads: "" });
  const current = useRef<AbortController | null>(null);

  // Leaving the page cancels the run on the server too.
  useEffect(() => () => current.current?.abort(), []);

  async function run() {
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    setRunning(true);
    setError(null);
    try {
      const body = {
        seats: whole(whatIf.seats),
        connectCap: whatIf.connectCap.trim() === "" ? undefined : Number(whatIf.connectCap),
        leads: whole(whatIf.leads),
      };
      setForecast(
        await requestJson<Forecast>(`/api/campaigns/${campaignId}/forecast`, {
          method: "POST",
          body,
          signal: controller.signal,
        }),
      );
    } catch (caught) {
      if (!controller.signal.aborted) {
        setError(caught instanceof ApiError ? caught.message : "The forecast failed. Try again.");
      }
    } finally {
      if (current.current === controller) setRunning(false);
    }
  }

  const seats = forecast ? Object.keys(forecast.sendsPerDay) : [];
  const days = forecast
    ? [...new Set(seats.flatMap((seat) => Object.keys(forecast.sendsPerDay[seat]!)))].sort()
    : [];
  const points = days.map((d) => ({
    day: d,
    ...Object.fromEntries(seats.map((seat) => [seat, forecast!.sendsPerDay[seat]![d] ?? 0])),
  }));
  const credits = forecast
    ? Object.values(forecast.creditsByBranch).reduce((sum, n) => sum + n, 0)
    : 0;
  const pending = forecast ? Math.max(0, ...Object.values(forecast.pendingInvitations)) : 0;

  return (
    <section aria-label="Forecast">
      <Card>
        <CardHeader
          title="Forecast"
          description="The campaign run ahead on a simulated LinkedIn with its seats, caps and leads: nothing is sent. Several runs give a range."
          action={
            <Button onClick={run} disabled={running}>
              {running ? "Forecasting…" : forecast ? "Forecast again" : "Forecast"}
            </Button>
          }
        />
        <div className="grid gap-4 px-5 py-4">
          <fieldset className="grid gap-3 sm:grid-cols-3">
            <legend className="mb-2 text-sm font-medium text-slate-700">What if</legend>
            <Field
              id="forecast-seats"
              label="Seats"
              type="number"
              min={1}
              max={20}
              placeholder="as now"
              value={whatIf.seats}
              onChange={(e) => setWhatIf({ ...whatIf, seats: e.target.value })}
            />
            <Field
              id="forecast-connect-cap"
              label="Invitations per seat per day"
              type="number"
              min={0}
              max={200}
              placeholder="as set"
              value={whatIf.connectCap}
              onChange={(e) => setWhatIf({ ...whatIf, connectCap: e.target.value })}
            />
            <Field
              id="forecast-leads"
              label="Leads"
              type="number"
              min={1}
              max={5000}
              placeholder="the campaign's"
              value={whatIf.leads}
              onChange={(e) => setWhatIf({ ...whatIf, leads: e.target.value })}
            />
          </fieldset>
          {error ? <Alert tone="error">{error}</Alert> : null}
          {forecast ? (
            <div className="grid gap-4">
              <p className="text-sm text-slate-800" data-testid="forecast-finish">
                {forecast.finish
                  ? `The last lead finishes around ${day(forecast.finish.median)} (between ${day(forecast.finish.p10)} and ${day(forecast.finish.p90)}).`
                  : `Not every lead finishes within ${forecast.days} days.`}
              </p>
              <ul className="grid gap-1 text-sm text-slate-600">
                <li>
                  {forecast.leads} leads on {forecast.seats.length} seat
                  {forecast.seats.length === 1 ? "" : "s"}: {forecast.seats.join(", ")}.
                </li>
                <li>
                  Invitations accepted: {forecast.acceptances.median} ({forecast.acceptances.p10}–
                  {forecast.acceptances.p90}); replies: {forecast.replies.median} (
                  {forecast.replies.p10}–{forecast.replies.p90}).
                </li>
                <li>
                  InMail credits used: {credits}
                  {forecast.poolDry
                    ? `; the pool runs dry around ${day(forecast.poolDry.first)}.`
                    : "; the pool does not run dry."}
                </li>
                <li>Pending invitations at most: {pending}.</li>
              </ul>
              <figure
                className="h-56 w-full"
                role="img"
                aria-label={`Sends per day for ${seats.join(", ")}`}
              >
                <ResponsiveContainer
                  width="100%"
                  height="100%"
                  initialDimension={{ width: 480, height: 224 }}
                >
                  <LineChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: -16 }}>
                    <CartesianGrid stroke="#e2e8f0" vertical={false} />
                    <XAxis dataKey="day" tick={{ fontSize: 11 }} />
                    <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
                    <Tooltip />
                    <Legend />
                    {seats.map((seat, i) => (
                      <Line
                        key={seat}
                        type="monotone"
                        dataKey={seat}
                        stroke={COLOURS[i % COLOURS.length]}
                        dot={false}
                        isAnimationActive={false}
                      />
                    ))}
                  </LineChart>
                </ResponsiveContainer>
              </figure>
            </div>
          ) : running ? (
            <p className="text-sm text-slate-500">Running the campaign ahead a few times…</p>
          ) : null}
        </div>
      </Card>
    </section>
  );
}
