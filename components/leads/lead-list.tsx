"use client";
import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import {
  addSelectedToCampaignAction,
  blocklistSelectedAction,
  removeSelectedFromCampaignAction,
} from "@/app/(app)/leads/actions";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClass } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, Select } from "@/components/ui/field";
import { formatNumber } from "@/components/ui/format";
import type { LeadListItem } from "@/views/leads";
import { LeadTable } from "./lead-table";

/** The list's filters, as the leads API and the export read them. */
export interface LeadListFilter {
  search?: string;
  campaignId?: string;
  status?: string;
  replyCategory?: string;
  stepId?: string;
  waiting?: string;
  field?: string;
  value?: string;
}

type Operation = "add" | "remove" | "blocklist" | null;

const plural = (n: number, one: string, many = `${one}s`) =>
  `${formatNumber(n)} ${n === 1 ? one : many}`;

/**
 * The page of leads with boxes to tick, and what to do with the ticked ones — or with every
 * lead the filters match: add to a campaign, take out of one, blocklist, export as CSV.
 * Members may select and export; changing anything takes an admin or an owner.
 */
export function LeadList({
  leads,
  total,
  totalCapped = false,
  filter,
  campaigns,
  canManage,
}: {
  leads: LeadListItem[];
  total: number;
  /** More than `total` leads match (the count stops at 10,000). */
  totalCapped?: boolean;
  filter: LeadListFilter;
  campaigns: Array<{ id: string; name: string; takesLeads: boolean }>;
  canManage: boolean;
}) {
  const router = useRouter();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [everyMatch, setEveryMatch] = useState(false);
  const [operation, setOperation] = useState<Operation>(null);
  const [campaignId, setCampaignId] = useState("");
  const [reason, setReason] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  // A new page or new filters: what was ticked is no longer on screen.
  const pageKey = leads.map((lead) => lead.id).join(",");
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the page changes
  useEffect(() => {
    setSelected(new Set());
    setEveryMatch(false);
  }, [pageKey]);

  const count = everyMatch ? total : selected.size;
  const wholePage = leads.length > 0 && leads.every((lead) => selected.has(lead.id));
  const selection = everyMatch ? { filter: cleanFilter(filter) } : { leadIds: [...selected] };
  const exportHref = everyMatch
    ? `/api/leads/export?${new URLSearchParams(cleanFilter(filter))}`
    : `/api/leads/export?ids=${[...selected].join(",")}`;

  function change(ids: string[], on: boolean) {
    setEveryMatch(false);
    setNotice(null);
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });
  }

  function open(which: Operation) {
    setError(null);
    setNotice(null);
    setCampaignId("");
    setReason("");
    setOperation(which);
  }

  function run(
    work: () => Promise<{ ok: true; message: string } | { ok: false; message: string }>,
  ) {
    startTransition(async () => {
      const result = await work();
      if (!result.ok) {
        setError(result.message);
        return;
      }
      setOperation(null);
      setSelected(new Set());
      setEveryMatch(false);
      setNotice(result.message);
      router.refresh();
    });
  }

  const confirm = () => {
    if (operation === "add") {
      run(async () => {
        const result = await addSelectedToCampaignAction({ selection, campaignId });
        if (!result.ok) return { ok: false, message: result.error.message };
        const { enrolled, skipped, campaignName } = result.data;
        const skippedText = [
          skipped.alreadyInCampaign
            ? `${formatNumber(skipped.alreadyInCampaign)} already in it`
            : "",
          skipped.inOtherCampaign
            ? `${formatNumber(skipped.inOtherCampaign)} busy in another campaign`
            : "",
          skipped.blocklisted ? `${formatNumber(skipped.blocklisted)} blocklisted` : "",
        ].filter(Boolean);
        return {
          ok: true,
          message: `${plural(enrolled, "lead")} added to ${campaignName}${skippedText.length ? ` · skipped: ${skippedText.join(", ")}` : ""}.`,
        };
      });
    } else if (operation === "remove") {
      run(async () => {
        const result = await removeSelectedFromCampaignAction({ selection, campaignId });
        if (!result.ok) return { ok: false, message: result.error.message };
        return {
          ok: true,
          message: `${plural(result.data.removed, "lead")} taken out of ${result.data.campaignName}.`,
        };
      });
    } else if (operation === "blocklist") {
      run(async () => {
        const result = await blocklistSelectedAction({ selection, reason: reason || undefined });
        if (!result.ok) return { ok: false, message: result.error.message };
        const { added, stoppedEnrollments } = result.data;
        return {
          ok: true,
          message: `${plural(added, "lead")} added to the blocklist · ${plural(stoppedEnrollments, "campaign enrollment")} stopped.`,
        };
      });
    }
  };

  const choosable = operation === "add" ? campaigns.filter((c) => c.takesLeads) : campaigns;

  return (
    <>
      {notice ? (
        <div className="border-b border-slate-100 px-5 py-3">
          <Alert tone="success">{notice}</Alert>
        </div>
      ) : null}
      {count > 0 ? (
        <section
          aria-label="Selected leads"
          className="flex flex-wrap items-center gap-2 border-b border-slate-100 bg-slate-50 px-5 py-2.5 text-sm"
        >
          <span className="font-medium text-slate-900">
            {everyMatch && totalCapped
              ? `More than ${formatNumber(total)} leads`
              : plural(count, "lead")}{" "}
            selected
          </span>
          {wholePage && !everyMatch && (totalCapped || total > leads.length) ? (
            <button
              type="button"
              className="text-brand-700 underline-offset-2 hover:underline"
              onClick={() => setEveryMatch(true)}
            >
              Select all {formatNumber(total)}
              {totalCapped ? "+" : ""} matching leads
            </button>
          ) : null}
          <span className="flex-1" />
          {canManage ? (
            <>
              <Button variant="secondary" onClick={() => open("add")}>
                Add to a campaign
              </Button>
              <Button variant="secondary" onClick={() => open("remove")}>
                Remove from a campaign
              </Button>
              <Button variant="secondary" onClick={() => open("blocklist")}>
                Blocklist
              </Button>
            </>
          ) : null}
          <a href={exportHref} className={buttonClass("secondary")} download>
            Export CSV
          </a>
          <Button
            variant="secondary"
            onClick={() => {
              setSelected(new Set());
              setEveryMatch(false);
            }}
          >
            Clear selection
          </Button>
        </section>
      ) : null}
      <LeadTable leads={leads} selection={{ selected, onChange: change }} />
      <ConfirmDialog
        open={operation !== null}
        title={
          operation === "add"
            ? `Add ${plural(count, "lead")} to a campaign`
            : operation === "remove"
              ? `Remove ${plural(count, "lead")} from a campaign`
              : `Blocklist ${plural(count, "lead")}?`
        }
        confirmLabel={
          operation === "add" ? "Add leads" : operation === "remove" ? "Remove leads" : "Blocklist"
        }
        tone={operation === "add" ? "primary" : "danger"}
        busy={pending}
        onCancel={() => setOperation(null)}
        onConfirm={() => {
          if (operation !== "blocklist" && !campaignId) {
            setError("Choose a campaign.");
            return;
          }
          confirm();
        }}
      >
        {operation === "add" || operation === "remove" ? (
          <>
            <Select
              label="Campaign"
              id="bulk-campaign"
              value={campaignId}
              onChange={(event) => setCampaignId(event.target.value)}
            >
              <option value="">Choose a campaign</option>
              {choosable.map((campaign) => (
                <option key={campaign.id} value={campaign.id}>
                  {campaign.name}
                </option>
              ))}
            </Select>
            <p>
              {operation === "add"
                ? "Leads start at the first step now. Blocklisted leads, leads already in the campaign and leads another campaign is contacting are skipped."
                : "Leads still in progress there stop where they are; what was sent stays sent. Leads it already finished are left as they are."}
            </p>
          </>
        ) : (
          <>
            <p>
              They are never enrolled again, and every campaign contacting them stops for them. You
              can take them off the blocklist later; stopped campaigns do not resume.
            </p>
            <Field
              label="Reason (optional)"
              id="bulk-reason"
              value={reason}
              maxLength={200}
              onChange={(event) => setReason(event.target.value)}
            />
          </>
        )}
        {error ? <Alert tone="error">{error}</Alert> : null}
      </ConfirmDialog>
    </>
  );
}

function cleanFilter(filter: LeadListFilter): Record<string, string> {
  return Object.fromEntries(
    Object.entries(filter).filter((entry): entry is [string, string] => Boolean(entry[1])),
  );
}
