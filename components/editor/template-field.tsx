"use client";
import { useRef } from "react";
import { cn } from "@/components/ui/cn";
import { inputClass } from "@/components/ui/field";
import { formatNumber } from "@/components/ui/format";
import {
  analyseTemplate,
  characterCount,
  LEAD_VARIABLES,
  renderForSend,
  type TemplateLead,
} from "@/workflows/nodes/index";

const VARIABLE_NAMES: Readonly<Record<string, string>> = {
  firstName: "First name",
  lastName: "Last name",
  company: "Company",
  title: "Job title",
};

/** What a variable falls back to for a lead without that value: "Hi there" rather than "Hi ". */
const FALLBACKS: Readonly<Record<string, string>> = {
  firstName: "there",
  lastName: "",
  company: "your company",
  title: "your role",
};

export interface PreviewLead {
  label: string;
  lead: TemplateLead;
}

function format(count: number): string {
  return formatNumber(count);
}

/**
 * A personalised text: the textarea, a picker that inserts a variable where the cursor is, a
 * character counter against LinkedIn's limit, and the text as the preview lead would get it.
 */
export function TemplateField({
  id,
  label,
  value,
  limit,
  softLimit,
  onChange,
  errors,
  preview,
  customFields,
  rows = 4,
  disabled,
}: {
  id: string;
  label: string;
  value: unknown;
  limit: number;
  /** A length past which the text still sends but works less well (long InMails). */
  softLimit?: { length: number; message: string };
  onChange: (text: string) => void;
  errors?: readonly string[];
  preview: PreviewLead;
  customFields: readonly string[];
  rows?: number;
  disabled?: boolean;
}) {
  const textarea = useRef<HTMLTextAreaElement>(null);
  const text = typeof value === "string" ? value : "";
  const analysis = analyseTemplate(text);
  const result = renderForSend(text, preview.lead, limit);
  const renderedLength = result.ok
    ? characterCount(result.text)
    : result.reason === "too_long"
      ? result.length
      : null;
  const over = analysis.literalLength > limit || (renderedLength ?? 0) > limit;
  const mayExceed = !over && analysis.worstCaseLength > limit;
  const invalid = (errors !== undefined && errors.length > 0) || over;

  function insert(variable: string) {
    if (variable === "") return;
    const field = textarea.current;
    const start = field?.selectionStart ?? text.length;
    const end = field?.selectionEnd ?? text.length;
    const fallback = FALLBACKS[variable] ?? "";
    const placeholder = `{{${variable}|${fallback}}}`;
    onChange(text.slice(0, start) + placeholder + text.slice(end));
    // The fallback is selected, ready to be typed over.
    const fallbackStart = start + placeholder.length - 2 - fallback.length;
    requestAnimationFrame(() => {
      field?.focus();
      field?.setSelectionRange(fallbackStart, fallbackStart + fallback.length);
    });
  }

  return (
    <div className="space-y-1.5">
      <div className="flex items-end justify-between gap-2">
        <label htmlFor={id} className="block text-sm font-medium text-slate-700">
          {label}
        </label>
        <select
          aria-label={`Insert a variable into ${label.toLowerCase()}`}
          value=""
          disabled={disabled}
          onChange={(event) => insert(event.target.value)}
          className="rounded border-0 bg-slate-100 py-1 pl-2 pr-7 text-xs text-slate-800 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500"
        >
          <option value="">Insert variable…</option>
          {LEAD_VARIABLES.map((name) => (
            <option key={name} value={name}>
              {VARIABLE_NAMES[name] ?? name}
            </option>
          ))}
          {customFields.map((field) => (
            <option key={field} value={`custom.${field}`}>
              {field}
            </option>
          ))}
        </select>
      </div>
      <textarea
        ref={textarea}
        id={id}
        rows={rows}
        value={text}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={invalid || undefined}
        aria-describedby={`${id}-counter ${id}-variables ${id}-preview`}
        className={cn(inputClass, "font-normal leading-relaxed", invalid && "ring-red-400")}
      />
      <p id={`${id}-variables`} className="text-xs text-slate-600">
        A variable like <code className="text-[11px]">{"{{firstName|there}}"}</code> takes the
        lead's value; the text after <code className="text-[11px]">|</code> is used when the lead
        has none.
      </p>
      <p
        id={`${id}-counter`}
        className={cn(
          "text-xs tabular-nums",
          over ? "font-semibold text-red-700" : mayExceed ? "text-amber-800" : "text-slate-600",
        )}
      >
        {/* The same figure as the card: the length with the longest plausible names. */}
        {analysis.variables.length > 0 ? "Up to " : ""}
        {format(analysis.worstCaseLength)} / {format(limit)} characters
        {analysis.variables.length > 0 && renderedLength !== null
          ? ` · ${format(renderedLength)} for ${preview.label}`
          : ""}
        {softLimit && analysis.literalLength > softLimit.length && !over
          ? ` · ${softLimit.message}`
          : ""}
      </p>
      {analysis.problems.length > 0 || (errors && errors.length > 0) ? (
        <ul className="space-y-0.5 text-xs text-red-700">
          {[...(errors ?? []), ...analysis.problems.map((problem) => problem.message)].map(
            (message) => (
              <li key={message}>{message}</li>
            ),
          )}
        </ul>
      ) : null}
      <div id={`${id}-preview`} className="rounded-md bg-slate-50 px-3 py-2 ring-1 ring-slate-200">
        <p className="text-xs font-medium text-slate-600">Preview for {preview.label}</p>
        {result.ok || result.reason === "too_long" ? (
          <p className="mt-1 whitespace-pre-wrap break-words text-sm text-slate-900">
            {result.text || <span className="text-slate-600">(empty)</span>}
          </p>
        ) : (
          <p className="mt-1 text-sm text-amber-900">
            No value for {result.missingVariables.map((name) => `{{${name}}}`).join(", ")} and no
            fallback: this lead would not be sent this text. Add a fallback, like{" "}
            <code className="text-xs">{`{{${result.missingVariables[0]}|there}}`}</code>.
          </p>
        )}
      </div>
    </div>
  );
}
