"use client";
import type { ReactNode } from "react";
import { Card, CardHeader } from "@/components/ui/card";
import { entryDelta, entryLabel, formatDay } from "./format";
import {
  CorrectionForm,
  DeletePoolButton,
  PoolSettingsForm,
  PurchaseForm,
  SeatsForm,
} from "./pool-forms";
import { describePool, PoolSummary } from "./pool-summary";
import type { CreditsOverviewView, PoolView } from "./types";

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section aria-label={title} className="space-y-2">
      <h3 className="text-sm font-semibold text-slate-900">{title}</h3>
      {children}
    </section>
  );
}

/** One pool on the Credits page: its numbers, its seats, purchases, corrections, settings. */
export function PoolPanel({
  pool,
  accounts,
  settable,
  canManage,
}: {
  pool: PoolView;
  accounts: CreditsOverviewView["accounts"];
  settable: boolean;
  canManage: boolean;
}) {
  return (
    <Card>
      <section aria-label={`${pool.name} pool`}>
        <CardHeader title={pool.name} description={describePool(pool)} />
        <div className="grid gap-6 px-5 py-4">
          <PoolSummary pool={pool} />
          <div className="grid gap-6 lg:grid-cols-2">
            <Section title="Sender accounts">
              <SeatsForm pool={pool} accounts={accounts} canManage={canManage} />
            </Section>
            <Section title="Latest ledger entries">
              <LedgerEntries pool={pool} />
            </Section>
            {pool.addOnBlockSize ? (
              <Section title="Buy add-on credits">
                <PurchaseForm pool={pool} canManage={canManage} />
              </Section>
            ) : null}
            <Section title="Correct the balance">
              <CorrectionForm pool={pool} canManage={canManage} />
            </Section>
          </div>
          <details className="group rounded-md ring-1 ring-slate-200">
            <summary className="cursor-pointer px-3 py-2 text-sm font-medium text-slate-800">
              Settings
            </summary>
            <div className="space-y-6 border-t border-slate-100 px-3 py-4">
              <PoolSettingsForm pool={pool} settable={settable} canManage={canManage} />
              <DeletePoolButton pool={pool} canManage={canManage} />
            </div>
          </details>
        </div>
      </section>
    </Card>
  );
}

function LedgerEntries({ pool }: { pool: PoolView }) {
  if (pool.entries.length === 0) {
    return <p className="text-sm text-slate-600">No entries yet.</p>;
  }
  return (
    <table className="w-full text-left text-sm">
      <thead className="text-xs uppercase tracking-wide text-slate-500">
        <tr>
          <th className="py-1.5 font-medium">Day</th>
          <th className="py-1.5 font-medium">Entry</th>
          <th className="py-1.5 text-right font-medium">Credits</th>
          <th className="py-1.5 pl-3 font-medium">Note</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {pool.entries.map((entry) => (
          <tr key={entry.id}>
            <td className="whitespace-nowrap py-1.5 pr-3 text-slate-600">{formatDay(entry.at)}</td>
            <td className="py-1.5 pr-3 text-slate-800">
              {entryLabel(entry.type, entry.campaignId !== null)}
            </td>
            <td className="py-1.5 text-right tabular-nums text-slate-900">
              {entryDelta(entry.type, entry.amount)}
              {entry.type === "forfeit" ? ` (${entry.amount} lost)` : ""}
            </td>
            <td className="py-1.5 pl-3 text-slate-600">{entry.note ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
