"use client";
import { type FormEvent, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Select } from "@/components/ui/field";
import { RefundFields } from "./pool-forms";
import type { CreditsOverviewView } from "./types";
import { numberField, useCreditsMutation } from "./use-credits-mutation";

type Plan = CreditsOverviewView["plans"][number];

function planOption(plan: Plan): string {
  if (plan.id === "custom") return "Custom: your own numbers";
  return `${plan.label}: ${plan.allowance} a month, at most ${plan.cap}`;
}

/** A pool for one LinkedIn plan: the catalog's numbers, or a team or custom plan's own. */
export function NewPoolForm({ plans, canManage }: { plans: Plan[]; canManage: boolean }) {
  const [planId, setPlanId] = useState<Plan["id"]>("sales_navigator_core");
  const plan = plans.find((candidate) => candidate.id === planId) ?? plans[0]!;
  const [refund, setRefund] = useState<"none" | "on_reply">(plan.refundPolicy.type);
  const [created, setCreated] = useState<string | null>(null);
  const create = useCreditsMutation<Record<string, unknown>, { id: string; name: string }>(
    (body) => ({ url: "/api/credits/pools", method: "POST", body }),
    (result) => setCreated(`${result.name} is ready: add the sender accounts that draw on it.`),
  );
  const reason = canManage ? undefined : "Only owners and admins can create credit pools.";
  const defaults = plan.refundPolicy.type === "on_reply" ? plan.refundPolicy : null;

  function choosePlan(id: Plan["id"]) {
    setPlanId(id);
    const next = plans.find((candidate) => candidate.id === id);
    if (next) setRefund(next.refundPolicy.type);
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setCreated(null);
    create.mutate(
      {
        name: String(form.get("name") ?? ""),
        plan: planId,
        renewalDay: numberField(form, "renewalDay"),
        openingBalance: numberField(form, "openingBalance") ?? 0,
        refundPolicy:
          refund === "none"
            ? { type: "none" }
            : {
                type: "on_reply",
                windowDays: numberField(form, "windowDays"),
                delayDays: numberField(form, "delayDays"),
              },
        ...(plan.allowanceSettable
          ? { allowance: numberField(form, "allowance"), cap: numberField(form, "cap") }
          : {}),
      },
      { onSuccess: () => formElement.reset() },
    );
  }

  const errors = create.fieldErrors;
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate aria-label="New credit pool">
      <div className="grid gap-4 sm:grid-cols-2">
        <Select
          id="pool-plan"
          label="Plan"
          value={planId}
          onChange={(event) => choosePlan(event.target.value as Plan["id"])}
          disabled={!canManage}
        >
          {plans.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {planOption(candidate)}
            </option>
          ))}
        </Select>
        <Field
          id="pool-name"
          name="name"
          label="Name"
          placeholder="Sales team seats"
          disabled={!canManage}
          error={errors.name}
        />
        {plan.allowanceSettable ? (
          <>
            <Field
              key={`allowance-${plan.id}`}
              id="pool-allowance"
              name="allowance"
              label="Credits per month"
              inputMode="numeric"
              defaultValue={plan.id === "custom" ? "" : plan.allowance}
              hint="Team contracts set their own numbers."
              disabled={!canManage}
              error={errors.allowance}
            />
            <Field
              key={`cap-${plan.id}`}
              id="pool-cap"
              name="cap"
              label="Most the pool can hold"
              inputMode="numeric"
              defaultValue={plan.id === "custom" ? "" : plan.cap}
              hint="Renewals forfeit whatever would go above it."
              disabled={!canManage}
              error={errors.cap}
            />
          </>
        ) : null}
        <Field
          id="pool-renewal-day"
          name="renewalDay"
          label="Renewal day of the month"
          inputMode="numeric"
          placeholder="1 to 31"
          hint="Your LinkedIn billing day."
          disabled={!canManage}
          error={errors.renewalDay}
        />
        <Field
          id="pool-opening-balance"
          name="openingBalance"
          label="Credits LinkedIn shows today"
          inputMode="numeric"
          defaultValue="0"
          hint="Enters the ledger as the opening balance."
          disabled={!canManage}
          error={errors.openingBalance}
        />
        <RefundFields
          key={`refund-${plan.id}`}
          idPrefix="pool"
          refund={refund}
          onRefund={setRefund}
          windowDays={defaults?.windowDays ?? 90}
          delayDays={defaults?.delayDays ?? 1}
          disabled={!canManage}
          errors={errors}
        />
      </div>
      {plan.addOnBlockSize ? (
        <p className="text-sm text-slate-600">
          {plan.label} sells add-on credits in blocks of {plan.addOnBlockSize}: buy them on the pool
          once it exists.
        </p>
      ) : null}
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={create.isPending || !canManage} title={reason}>
          {create.isPending ? "Creating…" : "Create pool"}
        </Button>
        {reason ? <span className="text-sm text-slate-500">{reason}</span> : null}
      </div>
      {create.isError ? <Alert tone="error">{create.error.message}</Alert> : null}
      {created ? <Alert tone="success">{created}</Alert> : null}
    </form>
  );
}
