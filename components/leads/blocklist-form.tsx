"use client";
import { useRouter } from "next/navigation";
import { type ChangeEvent, type FormEvent, useState, useTransition } from "react";
import { addToBlocklistAction } from "@/app/(app)/leads/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { CsvFileError, parseCsvFile } from "@/workflows/leads/csv";
import { guessMapping, normalizeHeader } from "@/workflows/leads/mapping";
import { parseProfileReference } from "@/workflows/leads/profile-url";

/** The profile values of a file: its profile column, or its only column (header included). */
async function profilesInFile(file: File): Promise<string[]> {
  const table = await parseCsvFile(file);
  const mapping = guessMapping(
    table.header,
    table.rows.slice(0, 50).map((row) => row.cells),
  );
  const column = mapping.findIndex((m) => m.target === "profile");
  const values = table.rows.map((row) => row.cells[Math.max(column, 0)] ?? "");
  // A plain list has no header: its first line is a profile too.
  const headerIsValue =
    table.header.length === 1 &&
    !/linkedin|profile|url|identifier/.test(normalizeHeader(table.header[0] ?? ""));
  return headerIsValue ? [table.header[0]!, ...values] : values;
}

/** Paste profiles (addresses or identifiers) or load them from a file, and blocklist them. */
export function BlocklistForm({ canManage }: { canManage: boolean }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [text, setText] = useState("");
  const [reason, setReason] = useState("");
  const [result, setResult] = useState<{
    tone: "success" | "warning" | "error";
    lines: string[];
  } | null>(null);

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    try {
      const values = await profilesInFile(file);
      setText((current) => [current.trim(), ...values].filter(Boolean).join("\n"));
      setResult(null);
    } catch (error) {
      setResult({
        tone: "error",
        lines: [error instanceof CsvFileError ? error.message : "The file could not be read."],
      });
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const lines = text.split(/\r?\n/);
    const valid: string[] = [];
    const refused: string[] = [];
    const refusedLines: string[] = [];
    lines.forEach((line, index) => {
      if (!line.trim()) return;
      const parsed = parseProfileReference(line);
      if (parsed.ok) valid.push(parsed.publicIdentifier);
      else {
        refused.push(`Line ${index + 1}: ${parsed.reason}`);
        refusedLines.push(line);
      }
    });
    if (valid.length === 0) {
      setResult({
        tone: "error",
        lines: refused.length > 0 ? refused.slice(0, 10) : ["Paste at least one profile."],
      });
      return;
    }
    startTransition(async () => {
      const response = await addToBlocklistAction({
        publicIdentifiers: valid,
        reason: reason.trim() || undefined,
      });
      if (!response.ok) {
        setResult({ tone: "error", lines: [response.error.message] });
        return;
      }
      const { added, alreadyListed, stoppedEnrollments } = response.data;
      const summary = [`${added} added to the blocklist`];
      if (alreadyListed) summary.push(`${alreadyListed} already on it`);
      if (stoppedEnrollments) {
        summary.push(
          `${stoppedEnrollments} campaign enrollment${stoppedEnrollments === 1 ? "" : "s"} stopped`,
        );
      }
      setResult({
        tone: refused.length > 0 ? "warning" : "success",
        lines: [
          `${summary.join(" · ")}.`,
          ...(refused.length > 0 ? ["Not added:", ...refused.slice(0, 10)] : []),
        ],
      });
      // What could not be added stays in the box, to be fixed.
      setText(refusedLines.join("\n"));
      router.refresh();
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-3" noValidate>
      <div>
        <label
          htmlFor="blocklist-profiles"
          className="mb-1.5 block text-sm font-medium text-slate-700"
        >
          Profiles, one per line
        </label>
        <textarea
          id="blocklist-profiles"
          rows={5}
          value={text}
          onChange={(event) => setText(event.target.value)}
          placeholder={"https://www.linkedin.com/in/ada-lovelace/\ngrace-hopper"}
          className={`${inputClass} font-mono`}
          aria-describedby="blocklist-profiles-hint"
        />
        <p id="blocklist-profiles-hint" className="mt-1.5 text-xs text-slate-500">
          Profile addresses or public identifiers. Or load a CSV or text file: its LinkedIn column
          is read.
        </p>
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label
            htmlFor="blocklist-file"
            className="mb-1.5 block text-sm font-medium text-slate-700"
          >
            From a file
          </label>
          <input
            id="blocklist-file"
            type="file"
            accept=".csv,.tsv,.txt,text/csv,text/plain"
            onChange={onFile}
            disabled={!canManage || pending}
            className="block text-sm text-slate-700 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-medium file:text-slate-700"
          />
        </div>
        <div className="min-w-56 flex-1">
          <label
            htmlFor="blocklist-reason"
            className="mb-1.5 block text-sm font-medium text-slate-700"
          >
            Reason (optional)
          </label>
          <input
            id="blocklist-reason"
            value={reason}
            maxLength={200}
            onChange={(event) => setReason(event.target.value)}
            placeholder="Customer, competitor, asked us to stop…"
            className={inputClass}
          />
        </div>
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending || !canManage}>
          {pending ? "Adding…" : "Add to blocklist"}
        </Button>
        {!canManage ? (
          <span className="text-sm text-slate-500">
            Only owners and admins can change the blocklist.
          </span>
        ) : null}
      </div>
      {result ? (
        <Alert tone={result.tone}>
          {result.lines.map((line) => (
            <p key={line}>{line}</p>
          ))}
        </Alert>
      ) : null}
    </form>
  );
}
