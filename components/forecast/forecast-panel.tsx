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
import { formatCalendarDay, formatDate, formatNumber, formatPercent } from "@/components/ui/format";
import type { Forecast, ForecastOptions, ForecastRates } from "@/views/forecast";

interface WhatIf {
  seats: string;
  connectCap: string;
  leads: string;
  /** Seat ids chosen; null: the campaign's own. */
  seatIds: string[] | null;
  /** Budget per branch key as typed; absent: as set. */
  budgets: Record<string, string>;
}

const COLOURS = ["#4f46e5", "#0891b2", "#ea580c", "#16a34a", "#db2777", "#64748b"];
/**
 * Leads a forecast runs when the campaign has none and none are typed
 * (server/forecast/forecast-specs.ts).
 */
const DEFAULT_LEADS = 100;

function whole(value: string): number | undefined {
  const n = Number(value);
  return value.trim() !== "" && Number.isInteger(n) && n > 0 ? n : undefined;
}

function wholeOrZero(value: string): number | undefined {
  const n = Number(value);
  return value.trim() !== "" && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** "observed: 31 % acceptance from 212 invitations" or the defaults, said plainly. */
export function ratesNote(rates: ForecastRates): string {
  if (rates.source === "observed") {
    const reply =
      rates.messages > 0
        ? `${formatPercent(rates.reply)} replies from ${formatNumber(rates.messages)} messages`
        : `${formatPercent(rates.reply)} replies (default: too few messages yet)`;
    return `Rates observed in this workspace: ${formatPercent(rates.acceptance)} acceptance from ${formatNumber(rates.invitations)} invitations, ${reply}.`;
  }
  return `Rates: the defaults (${formatPercent(rates.acceptance)} acceptance, ${formatPercent(rates.reply)} replies) until this workspace has 50 settled invitations (it has ${formatNumber(rates.invitations)}).`;
}

/**
 * Runs the campaign on a virtual clock with several seeds (on the server, against the sandbox:
 * nothing is sent) and shows when it will finish, what each seat sends per day and what the
 * InMails cost; "What if" reruns it with other seats, another invitation cap, lead count or
 * branch budget. `draft`: the editor's draft rather than the live version.
 */
export function ForecastPanel({
  campaignId,
  draft = false,
}: {
  campaignId: string;
  draft?: boolean;
}) {
  const [forecast, setForecast] = useState<Forecast | null>(null);
  const [options, setOptions] = useState<ForecastOptions | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [whatIf, setWhatIf] = useState<WhatIf>({
    seats: "",
    connectCap: "",
    leads: "",
    seatIds: null,
    budgets: {},
  });
  const current = useRef<AbortController | null>(null);

  // Leaving the page cancels the run on the server too.
  useEffect(() => () => current.current?.abort(), []);

  useEffect(() => {
    const controller = new AbortController();
    requestJson<ForecastOptions>(
      `/api/campaigns/${campaignId}/forecast?eta=0${draft ? "&draft=1" : ""}`,
      { signal: controller.signal },
    )
      .then(setOptions)
      .catch((caught) => {
        if (!controller.signal.aborted && caught instanceof ApiError) setError(caught.message);
      });
    return () => controller.abort();
  }, [campaignId, draft]);

  const campaignSeats = options?.seats.filter((s) => s.inCampaign).map((s) => s.id) ?? [];
  const chosen = whatIf.seatIds ?? campaignSeats;
  const seatsChanged =
    whatIf.seatIds !== null &&
    (chosen.length !== campaignSeats.length || chosen.some((id) => !campaignSeats.includes(id)));
  const noLeads = options !== null && options.leadsInFlight === 0;

  function toggleSeat(id: string, on: boolean) {
    const next = on ? [...new Set([...chosen, id])] : chosen.filter((s) => s !== id);
    setWhatIf({ ...whatIf, seatIds: next });
  }

  async function run() {
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    setRunning(true);
    setError(null);
    try {
      const branchBudgets = Object.fromEntries(
        Object.entries(whatIf.budgets)
          .filter(([, typed]) => typed.trim() !== "")
          .map(([key, typed]) => [key, wholeOrZero(typed) ?? null]),
      );
      const body = {
        ...(draft ? { draft: true } : {}),
        seats: whole(whatIf.seats),
        connectCap: wholeOrZero(whatIf.connectCap),
        leads: whole(whatIf.leads),
        ...(seatsChanged ? { seatIds: chosen } : {}),
        ...(Object.keys(branchBudgets).length > 0 ? { branchBudgets } : {}),
      };
      const answer = await requestJson<Forecast>(`/api/campaigns/${campaignId}/forecast`, {
        method: "POST",
        body,
        signal: controller.signal,
      });
      setForecast(answer);
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
    day: formatCalendarDay(d),
    ...Object.fromEntries(seats.map((seat) => [seat, forecast!.sendsPerDay[seat]![d] ?? 0])),
  }));
  const progressDays = forecast ? Object.keys(forecast.finishedByDay).sort() : [];
  const progress = progressDays.map((d) => ({
    day: formatCalendarDay(d),
    "Leads finished": forecast!.finishedByDay[d] ?? 0,
    "Invitations pending": forecast!.pendingInvitations[d] ?? 0,
  }));
  const credits = forecast
    ? Object.values(forecast.creditsByBranch).reduce((sum, n) => sum + n, 0)
    : 0;
  const pending = forecast ? Math.max(0, ...Object.values(forecast.pendingInvitations)) : 0;
  const branchLabel = (key: string) =>
    options?.branches.find((b) => b.key === key)?.label ?? "InMail";

  return (
    <section aria-label="Forecast">
      <Card>
        <CardHeader
          title="Forecast"
          description={`The ${draft ? "draft" : "campaign"} run ahead on a simulated LinkedIn with its seats, caps and leads: nothing is sent. Several runs give a range.`}
          action={
            <Button onClick={run} disabled={running || (options !== null && chosen.length === 0)}>
              {running ? "Forecasting…" : forecast ? "Forecast again" : "Forecast"}
            </Button>
          }
        />
        <div className="grid gap-4 px-5 py-4">
          {noLeads ? (
            <p className="text-sm text-slate-700">
              This campaign has no leads yet: type how many you plan to import under Leads (the
              forecast assumes {DEFAULT_LEADS} otherwise).
            </p>
          ) : null}
          <fieldset className="grid gap-3 sm:grid-cols-3">
            <legend className="mb-2 text-sm font-medium text-slate-700">What if</legend>
            <Field
              id={`forecast-seats-${draft ? "draft" : "live"}`}
              label="Seats"
              type="number"
              min={1}
              max={20}
              placeholder="as chosen below"
              hint="More than chosen: copies of the first are added."
              value={whatIf.seats}
              onChange={(e) => setWhatIf({ ...whatIf, seats: e.target.value })}
            />
            <Field
              id={`forecast-connect-cap-${draft ? "draft" : "live"}`}
              label="Invitations per seat per day"
              type="number"
              min={0}
              max={200}
              placeholder="as set"
              value={whatIf.connectCap}
              onChange={(e) => setWhatIf({ ...whatIf, connectCap: e.target.value })}
            />
            <Field
              id={`forecast-leads-${draft ? "draft" : "live"}`}
              label="Leads"
              type="number"
              min={1}
              max={5000}
              placeholder={
                options && options.leadsInFlight > 0
                  ? `${formatNumber(options.leadsInFlight)} in flight`
                  : String(DEFAULT_LEADS)
              }
              value={whatIf.leads}
              onChange={(e) => setWhatIf({ ...whatIf, leads: e.target.value })}
            />
          </fieldset>
          {options && options.seats.length > 0 ? (
            <fieldset>
              <legend className="mb-2 text-sm font-medium text-slate-700">Send from</legend>
              <div className="flex flex-wrap gap-x-5 gap-y-2">
                {options.seats.map((seat) => (
                  <label key={seat.id} className="flex items-center gap-2 text-sm text-slate-800">
                    <input
                      type="checkbox"
                      className="h-4 w-4 rounded border-slate-300"
                      checked={chosen.includes(seat.id)}
                      onChange={(e) => toggleSeat(seat.id, e.target.checked)}
                    />
                    {seat.name}
                    {seat.inCampaign ? "" : " (not in this campaign)"}
                  </label>
                ))}
              </div>
            </fieldset>
          ) : null}
          {options && options.branches.length > 0 ? (
            <fieldset className="grid gap-3 sm:grid-cols-2">
              <legend className="mb-2 text-sm font-medium text-slate-700">
                InMail credits per branch
              </legend>
              {options.branches.map((branch, i) => (
                <Field
                  key={branch.key}
                  id={`forecast-budget-${draft ? "draft" : "live"}-${i}`}
                  label={`Budget: ${branch.label}`}
                  type="number"
                  min={0}
                  max={100000}
                  placeholder={branch.budget === null ? "no budget" : `${branch.budget} as set`}
                  value={whatIf.budgets[branch.key] ?? ""}
                  onChange={(e) =>
                    setWhatIf({
                      ...whatIf,
                      budgets: { ...whatIf.budgets, [branch.key]: e.target.value },
                    })
                  }
                />
              ))}
            </fieldset>
          ) : null}
          {options ? (
            <p className="text-xs text-slate-500" data-testid="forecast-rates">
              {ratesNote(forecast?.rates ?? options.rates)}
            </p>
          ) : null}
          {error ? <Alert tone="error">{error}</Alert> : null}
          {forecast ? (
            <div className="grid gap-4">
              <p
                className="text-sm text-slate-800"
                data-testid="forecast-finish"
                data-finish={forecast.finish?.median ?? ""}
              >
                {forecast.finish
                  ? `The last lead finishes around ${formatDate(forecast.finish.median)} (between ${formatDate(forecast.finish.p10)} and ${formatDate(forecast.finish.p90)}).`
                  : `Not every lead finishes within ${forecast.days} days.`}
              </p>
              <ul className="grid gap-1 text-sm text-slate-600">
                <li>
                  {formatNumber(forecast.leads)} leads on {forecast.seats.length} seat
                  {forecast.seats.length === 1 ? "" : "s"}: {forecast.seats.join(", ")}.
                </li>
                <li>
                  Invitations accepted: {forecast.acceptances.median} ({forecast.acceptances.p10}–
                  {forecast.acceptances.p90}); replies: {forecast.replies.median} (
                  {forecast.replies.p10}–{forecast.replies.p90}).
                </li>
                <li>
                  InMail credits used: {formatNumber(credits)}
                  {forecast.poolDry
                    ? `; the pool runs dry around ${formatDate(forecast.poolDry.first)}.`
                    : "; the pool does not run dry."}
                </li>
                {Object.entries(forecast.creditsByBranch).map(([key, n]) => (
                  <li key={key} className="pl-4">
                    {branchLabel(key)}: {formatNumber(n)} credits
                  </li>
                ))}
                <li>Pending invitations at most: {formatNumber(pending)}.</li>
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
              <figure
                className="h-56 w-full"
                role="img"
                aria-label="Leads finished and invitations pending, day by day"
              >
                <ResponsiveContainer
                  width="100%"
                  height="100%"
                  initialDimension={{ width: 480, height: 224 }}
                >
                  <LineChart data={progress} margin={{ top: 8, right: 12, bottom: 0, left: -16 }}>
                    <CartesianGrid stroke="#e2e8f0" vertical={false} />
                    <XAxis dataKey="day" tick={{ fontSize: 11 }} />
                    <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
                    <Tooltip />
                    <Legend />
                    {["Leads finished", "Invitations pending"].map((key, i) => (
                      <Line
                        key={key}
                        type="monotone"
                        dataKey={key}
                        stroke={COLOURS[(i + 2) % COLOURS.length]}
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
