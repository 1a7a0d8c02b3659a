"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type ChangeEvent, useMemo, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClass } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { formatNumber } from "@/components/ui/format";
import type { ImportLeadsResult } from "@/views/leads";
import { CsvFileError, type CsvTable, parseCsvFile } from "@/workflows/leads/csv";
import { type ColumnMapping, guessMapping, mappingProblems } from "@/workflows/leads/mapping";
import { type LeadRows, readLeadRows } from "@/workflows/leads/rows";
import { ColumnMappingTable } from "./column-mapping";
import { ImportPreview } from "./import-preview";
import { ProgressBar } from "./progress-bar";
import { type ImportFailure, uploadImport } from "./upload-import";

export interface CampaignChoice {
  id: string;
  name: string;
  status: string;
}

type Phase =
  | { name: "choose" }
  | { name: "reading"; progress: number }
  | { name: "review" }
  | { name: "uploading"; progress: number }
  | { name: "saving" }
  | { name: "done"; result: ImportLeadsResult; tooLateToCancel?: boolean };

const MAX_FILE_BYTES = 20 * 1024 * 1024;
const number = formatNumber;
const plural = (n: number, word: string) => `${number(n)} ${word}${n === 1 ? "" : "s"}`;

/** "leads.12.firstName: …" from the server, back to the row of the file it came from. */
function describeFailure(failure: ImportFailure, rows: LeadRows | null): string[] {
  const lines = Object.entries(failure.fieldErrors ?? {}).flatMap(([key, messages]) => {
    const match = /^leads\.(\d+)\./.exec(key);
    const lead = match ? rows?.leads[Number(match[1])] : undefined;
    return lead ? [`Row ${lead.rows[0]}: ${messages[0]}`] : [];
  });
  return [`The import failed and nothing was saved: ${failure.message}`, ...lines.slice(0, 5)];
}

function describeResult(result: ImportLeadsResult): string[] {
  const lines = [
    `${plural(result.leads, "lead")} imported: ${number(result.created)} new, ${number(result.updated)} already in the workspace.`,
  ];
  const enrollment = result.enrollment;
  if (enrollment) {
    const skipped = [
      enrollment.skipped.alreadyInCampaign
        ? `${number(enrollment.skipped.alreadyInCampaign)} already in it`
        : null,
      enrollment.skipped.inOtherCampaign
        ? `${number(enrollment.skipped.inOtherCampaign)} running in another campaign`
        : null,
      enrollment.skipped.blocklisted
        ? `${number(enrollment.skipped.blocklisted)} on the blocklist`
        : null,
    ].filter(Boolean);
    lines.push(
      `${number(enrollment.enrolled)} enrolled in “${enrollment.campaignName}”${
        skipped.length > 0 ? `; not enrolled: ${skipped.join(", ")}` : ""
      }.`,
    );
  }
  return lines;
}

/**
 * The CSV import: pick a file (parsed here, in the browser, with a progress bar), map its
 * columns, review the preview and the rows that cannot be taken, then send the leads in one
 * request that the server saves all or nothing, optionally enrolling them in a campaign.
 */
export function ImportWizard({
  campaigns,
  initialCampaignId,
  canManage,
}: {
  campaigns: CampaignChoice[];
  initialCampaignId?: string;
  canManage: boolean;
}) {
  const router = useRouter();
  const [phase, setPhase] = useState<Phase>({ name: "choose" });
  const [fileName, setFileName] = useState<string | null>(null);
  const [table, setTable] = useState<CsvTable | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping[]>([]);
  const [campaignId, setCampaignId] = useState(
    campaigns.some((c) => c.id === initialCampaignId) ? (initialCampaignId ?? "") : "",
  );
  const [allowInOtherCampaigns, setAllowInOtherCampaigns] = useState(false);
  const [messages, setMessages] = useState<{ tone: "error" | "info"; lines: string[] } | null>(
    null,
  );
  const controller = useRef<AbortController | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const problems = useMemo(() => (table ? mappingProblems(mapping) : []), [table, mapping]);
  const rows = useMemo(
    () => (table && problems.length === 0 ? readLeadRows(table, mapping) : null),
    [table, mapping, problems],
  );
  const busy = phase.name === "reading" || phase.name === "uploading" || phase.name === "saving";
  const campaign = campaigns.find((c) => c.id === campaignId);

  function reset() {
    controller.current?.abort();
    setPhase({ name: "choose" });
    setTable(null);
    setMapping([]);
    setFileName(null);
    if (fileInput.current) fileInput.current.value = "";
  }

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    setMessages(null);
    if (file.size > MAX_FILE_BYTES) {
      setMessages({ tone: "error", lines: ["The file is over 20 MB: split it into parts."] });
      return;
    }
    const abort = new AbortController();
    controller.current = abort;
    setFileName(file.name);
    setPhase({ name: "reading", progress: 0 });
    try {
      const parsed = await parseCsvFile(file, {
        signal: abort.signal,
        onProgress: (progress) => setPhase({ name: "reading", progress }),
      });
      setTable(parsed);
      setMapping(
        guessMapping(
          parsed.header,
          parsed.rows.slice(0, 50).map((row) => row.cells),
        ),
      );
      setPhase({ name: "review" });
    } catch (error) {
      reset();
      if ((error as Error).name === "AbortError") {
        setMessages({ tone: "info", lines: ["Reading the file was cancelled."] });
      } else {
        setMessages({
          tone: "error",
          lines: [
            error instanceof CsvFileError
              ? error.message
              : `The file could not be read: ${(error as Error).message}`,
          ],
        });
      }
    }
  }

  async function startImport() {
    if (!rows || rows.leads.length === 0) return;
    const abort = new AbortController();
    controller.current = abort;
    setMessages(null);
    setCancelling(false);
    setPhase({ name: "uploading", progress: 0 });
    const outcome = await uploadImport(
      {
        leads: rows.leads.map(({ rows: _rows, ...lead }) => lead),
        campaignId: campaignId || undefined,
        allowInOtherCampaigns,
      },
      {
        signal: abort.signal,
        onProgress: (progress) => setPhase({ name: "uploading", progress }),
        onUploaded: () => setPhase({ name: "saving" }),
      },
    );
    if (outcome.ok) {
      setPhase({ name: "done", result: outcome.result, tooLateToCancel: abort.signal.aborted });
      router.refresh();
      return;
    }
    setPhase({ name: "review" });
    setMessages(
      outcome.cancelled
        ? { tone: "info", lines: ["Import cancelled: nothing was saved."] }
        : { tone: "error", lines: describeFailure(outcome.error, rows) },
    );
  }

  if (phase.name === "done") {
    const enrolledIn = phase.result.enrollment?.campaignId;
    return (
      <div className="space-y-4">
        <Alert tone="success">
          {phase.tooLateToCancel ? (
            <p>The import was already saved when the cancel reached the server.</p>
          ) : null}
          {describeResult(phase.result).map((line) => (
            <p key={line}>{line}</p>
          ))}
        </Alert>
        <div className="flex flex-wrap gap-2">
          <Link href="/leads" className={buttonClass("primary")}>
            See the leads
          </Link>
          {enrolledIn ? (
            <Link href={`/campaigns/${enrolledIn}`} className={buttonClass("secondary")}>
              Open the campaign
            </Link>
          ) : null}
          <Button variant="ghost" onClick={reset}>
            Import another file
          </Button>
        </div>
      </div>
    );
  }

  return (
    <div className="space-y-6">
      <section className="space-y-3">
        <div>
          <label htmlFor="lead-file" className="mb-1.5 block text-sm font-medium text-slate-700">
            CSV file
          </label>
          <input
            ref={fileInput}
            id="lead-file"
            type="file"
            accept=".csv,.tsv,.txt,text/csv,text/plain"
            disabled={busy || !canManage}
            onChange={onFile}
            className="block text-sm text-slate-700 file:mr-3 file:rounded-md file:border-0 file:bg-brand-50 file:px-3 file:py-2 file:text-sm file:font-medium file:text-brand-700 hover:file:bg-brand-100"
            aria-describedby="lead-file-hint"
          />
          <p id="lead-file-hint" className="mt-1.5 text-xs text-slate-500">
            An export from Sales Navigator or a lead tool: one row per person with their LinkedIn
            profile address. Commas, semicolons or tabs; the first line names the columns.
          </p>
        </div>
        {!canManage ? (
          <p className="text-sm text-slate-500">Only owners and admins can import leads.</p>
        ) : null}
        {phase.name === "reading" ? (
          <div className="flex items-end gap-3">
            <ProgressBar
              className="flex-1"
              label={`Reading ${fileName ?? "the file"}`}
              value={phase.progress}
            />
            <Button variant="secondary" onClick={reset}>
              Cancel
            </Button>
          </div>
        ) : null}
      </section>

      {messages ? (
        <Alert tone={messages.tone}>
          {messages.lines.length === 1 ? (
            messages.lines[0]
          ) : (
            <ul className="list-disc space-y-1 pl-4">
              {messages.lines.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
        </Alert>
      ) : null}

      {table && phase.name !== "reading" ? (
        <>
          <section className="space-y-3" aria-labelledby="mapping-title">
            <div>
              <h2 id="mapping-title" className="text-base font-semibold text-slate-900">
                Columns
              </h2>
              <p className="text-sm text-slate-500">
                {fileName}: {plural(table.header.length, "column")},{" "}
                {table.delimiter === ";"
                  ? "semicolon"
                  : table.delimiter === "\t"
                    ? "tab"
                    : table.delimiter === "|"
                      ? "pipe"
                      : "comma"}{" "}
                separated. Check what each column becomes; extra columns become custom fields for
                message templates.
              </p>
            </div>
            <ColumnMappingTable
              table={table}
              mapping={mapping}
              onChange={setMapping}
              disabled={busy}
            />
            {problems.length > 0 ? (
              <Alert tone="warning">
                <ul className="list-disc space-y-1 pl-4">
                  {problems.map((problem) => (
                    <li key={problem}>{problem}</li>
                  ))}
                </ul>
              </Alert>
            ) : null}
          </section>

          {rows ? <ImportPreview rows={rows} /> : null}

          <section className="space-y-3 border-t border-slate-100 pt-5">
            <div className="max-w-md">
              <label
                htmlFor="import-campaign"
                className="mb-1.5 block text-sm font-medium text-slate-700"
              >
                Enroll in a campaign
              </label>
              <select
                id="import-campaign"
                className={inputClass}
                value={campaignId}
                disabled={busy}
                onChange={(event) => setCampaignId(event.target.value)}
              >
                <option value="">No: only add them to the leads</option>
                {campaigns.map((choice) => (
                  <option key={choice.id} value={choice.id}>
                    {choice.name}
                    {choice.status === "running" ? "" : ` (${choice.status})`}
                  </option>
                ))}
              </select>
            </div>
            {campaignId ? (
              <label className="flex items-center gap-2 text-sm text-slate-700">
                <input
                  type="checkbox"
                  className="size-4 rounded border-slate-300"
                  checked={allowInOtherCampaigns}
                  disabled={busy}
                  onChange={(event) => setAllowInOtherCampaigns(event.target.checked)}
                />
                Also enroll leads another campaign is contacting right now
              </label>
            ) : null}
            <p className="text-xs text-slate-500">
              Everything is saved in one go, or nothing is: a failure or a cancel leaves the
              workspace as it was. Blocklisted people are never enrolled.
            </p>

            {phase.name === "uploading" || phase.name === "saving" ? (
              <div className="flex items-end gap-3">
                <ProgressBar
                  className="flex-1"
                  label={phase.name === "uploading" ? "Sending the leads" : "Saving"}
                  value={phase.name === "uploading" ? phase.progress : null}
                />
                <Button
                  variant="secondary"
                  disabled={cancelling}
                  onClick={() => {
                    setCancelling(true);
                    controller.current?.abort();
                  }}
                >
                  {cancelling ? "Cancelling…" : "Cancel import"}
                </Button>
              </div>
            ) : (
              <div className="flex flex-wrap items-center gap-3">
                <Button
                  onClick={startImport}
                  disabled={!canManage || !rows || rows.leads.length === 0}
                >
                  {rows
                    ? `Import ${plural(rows.leads.length, "lead")}${campaign ? ` into “${campaign.name}”` : ""}`
                    : "Import"}
                </Button>
                <Button variant="ghost" onClick={reset}>
                  Choose another file
                </Button>
              </div>
            )}
          </section>
        </>
      ) : null}
    </div>
  );
}
