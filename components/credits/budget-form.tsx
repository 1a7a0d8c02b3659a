"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { campaignKeys } from "@/components/campaigns/query-keys";
import { Alert } from "@/components/ui/alert";
import { ApiError, requestJson } from "@/components/ui/api";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { BranchRowView } from "./types";

interface Budgets {
  campaign: number | null;
  branches: Record<string, number>;
}

/** A blank field means "no budget"; anything else must be a whole number of credits. */
function readBudget(value: FormDataEntryValue | null): number | null | "invalid" {
  const text = String(value ?? "").trim();
  if (text === "") return null;
  if (!/^\d+$/.test(text)) return "invalid";
  return Number(text);
}

/**
 * The campaign's InMail budgets: one for the whole campaign and one per branch row. When one is
 * used up the engine sends the lead down the InMail's "not sent" exit with "budget reached".
 */
export function BudgetForm({
  campaignId,
  campaignBudget,
  rows,
  canManage,
}: {
  campaignId: string;
  campaignBudget: number | null;
  rows: BranchRowView[];
  canManage: boolean;
}) {
  const queryClient = useQueryClient();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (budgets: Budgets) =>
      requestJson<Budgets>(`/api/campaigns/${campaignId}/credits`, {
        method: "PUT",
        body: budgets,
      }),
    onSuccess: async () => {
      setSaved(true);
      await queryClient.invalidateQueries({ queryKey: campaignKeys.credits(campaignId) });
    },
    onError: (error) => {
      setSaved(false);
      if (error instanceof ApiError) {
        setFieldErrors(
          Object.fromEntries(
            Object.entries(error.fieldErrors).map(([key, messages]) => [key, messages[0] ?? ""]),
          ),
        );
      }
    },
  });
  const reason = canManage ? undefined : "Only owners and admins can set budgets.";

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const errors: Record<string, string> = {};
    const campaign = readBudget(form.get("campaign"));
    if (campaign === "invalid")
      errors.campaign = "Give a whole number of credits, or leave it empty.";
    const branches: Record<string, number> = {};
    for (const row of rows) {
      const value = readBudget(form.get(`branch:${row.key}`));
      if (value === "invalid") {
        errors[`branches.${row.key}`] = "Give a whole number of credits, or leave it empty.";
      } else if (value !== null) {
        branches[row.key] = value;
      }
    }
    setFieldErrors(errors);
    setSaved(false);
    if (Object.keys(errors).length > 0) return;
    save.mutate({ campaign: campaign === "invalid" ? null : campaign, branches });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate aria-label="InMail budgets">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <Field
          id={`budget-${campaignId}-campaign`}
          name="campaign"
          label="Budget for the whole campaign"
          inputMode="numeric"
          placeholder="No limit"
          defaultValue={campaignBudget ?? ""}
          disabled={!canManage}
          error={fieldErrors.campaign}
        />
        {rows.map((row, index) => (
          <Field
            key={row.key}
            id={`budget-${campaignId}-${index}`}
            name={`branch:${row.key}`}
            label={`Budget for ${row.label}`}
            inputMode="numeric"
            placeholder="No limit"
            defaultValue={row.budget ?? ""}
            disabled={!canManage}
            error={fieldErrors[`branches.${row.key}`]}
          />
        ))}
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={save.isPending || !canManage} title={reason}>
          {save.isPending ? "Saving…" : "Save budgets"}
        </Button>
        <span className="text-sm text-slate-500">
          {reason ??
            "Credits count net of refunds. When a budget is used up, leads take the InMail's not-sent exit with “budget reached”."}
        </span>
      </div>
      {save.isError ? <Alert tone="error">{save.error.message}</Alert> : null}
      {saved ? (
        <Alert tone="success">Budgets saved: the engine applies them to the next InMail.</Alert>
      ) : null}
    </form>
  );
}
