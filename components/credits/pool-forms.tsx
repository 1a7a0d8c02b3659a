"use client";
import { type FormEvent, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Select } from "@/components/ui/field";
import { plural } from "./format";
import type { CreditsOverviewView, PoolView } from "./types";
import { numberField, useCreditsMutation } from "./use-credits-mutation";

const ADMIN_ONLY = "Only owners and admins can change credit pools.";

function AdminNote({ canManage }: { canManage: boolean }) {
  return canManage ? null : <p className="text-sm text-slate-500">{ADMIN_ONLY}</p>;
}

/** Add-on credits bought from LinkedIn (Recruiter Lite: blocks of 10), as a purchase. */
export function PurchaseForm({ pool, canManage }: { pool: PoolView; canManage: boolean }) {
  const size = pool.addOnBlockSize ?? 0;
  const [blocks, setBlocks] = useState("1");
  const [done, setDone] = useState<string | null>(null);
  const purchase = useCreditsMutation<number, { credits: number; balance: number }>(
    (count) => ({
      url: `/api/credits/pools/${pool.id}/purchase`,
      method: "POST",
      body: { blocks: count },
    }),
    (result) => setDone(`Bought ${result.credits} credits: the balance is now ${result.balance}.`),
  );
  const count = Number(blocks);
  const valid = Number.isInteger(count) && count > 0;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    purchase.mutate(valid ? count : Number.NaN);
  }

  return (
    <form
      onSubmit={onSubmit}
      className="space-y-3"
      noValidate
      aria-label={`Buy credits for ${pool.name}`}
    >
      <div className="flex flex-wrap items-end gap-3">
        <Field
          id={`purchase-${pool.id}`}
          label={`Blocks of ${size}`}
          inputMode="numeric"
          value={blocks}
          onChange={(event) => setBlocks(event.target.value)}
          disabled={!canManage}
          error={purchase.fieldErrors.blocks}
          className="w-32"
        />
        <Button
          type="submit"
          disabled={purchase.isPending || !canManage}
          title={canManage ? undefined : ADMIN_ONLY}
        >
          {purchase.isPending ? "Buying…" : valid ? `Buy ${count * size} credits` : "Buy credits"}
        </Button>
      </div>
      <AdminNote canManage={canManage} />
      {purchase.isError && !purchase.fieldErrors.blocks ? (
        <Alert tone="error">{purchase.error.message}</Alert>
      ) : null}
      {done ? <Alert tone="success">{done}</Alert> : null}
    </form>
  );
}

/** A manual correction (LinkedIn shows another number), as an adjustment with its reason. */
export function CorrectionForm({ pool, canManage }: { pool: PoolView; canManage: boolean }) {
  const [done, setDone] = useState<string | null>(null);
  const correction = useCreditsMutation<
    { amount: number | undefined; note: string },
    { balance: number }
  >(
    ({ amount, note }) => ({
      url: `/api/credits/pools/${pool.id}/correction`,
      method: "POST",
      body: { amount, note },
    }),
    (result) => setDone(`Corrected: the balance is now ${result.balance}.`),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setDone(null);
    correction.mutate(
      {
        amount: numberField(form, "amount"),
        note: String(form.get("note") ?? ""),
      },
      { onSuccess: () => formElement.reset() },
    );
  }

  return (
    <form
      onSubmit={onSubmit}
      className="space-y-3"
      noValidate
      aria-label={`Correct the balance of ${pool.name}`}
    >
      <div className="grid gap-3 sm:grid-cols-[10rem_1fr]">
        <Field
          id={`correction-amount-${pool.id}`}
          name="amount"
          label="Change"
          inputMode="numeric"
          placeholder="-3 or 5"
          hint="Minus removes credits."
          disabled={!canManage}
          error={correction.fieldErrors.amount}
        />
        <Field
          id={`correction-note-${pool.id}`}
          name="note"
          label="Reason"
          placeholder="LinkedIn shows 42"
          disabled={!canManage}
          error={correction.fieldErrors.note}
        />
      </div>
      <Button
        type="submit"
        variant="secondary"
        disabled={correction.isPending || !canManage}
        title={canManage ? undefined : ADMIN_ONLY}
      >
        {correction.isPending ? "Correcting…" : "Correct the balance"}
      </Button>
      <AdminNote canManage={canManage} />
      {correction.isError && Object.keys(correction.fieldErrors).length === 0 ? (
        <Alert tone="error">{correction.error.message}</Alert>
      ) : null}
      {done ? <Alert tone="success">{done}</Alert> : null}
    </form>
  );
}

/** The sender accounts drawing on the pool: add one, or take one off. */
export function SeatsForm({
  pool,
  accounts,
  canManage,
}: {
  pool: PoolView;
  accounts: CreditsOverviewView["accounts"];
  canManage: boolean;
}) {
  const seats = accounts.filter((account) => account.poolId === pool.id);
  const others = accounts.filter((account) => account.poolId !== pool.id);
  const [choice, setChoice] = useState("");
  const change = useCreditsMutation<{ accountId: string; assign: boolean }, unknown>(
    ({ accountId, assign }) => ({
      url: `/api/credits/pools/${pool.id}/accounts/${accountId}`,
      method: assign ? "PUT" : "DELETE",
    }),
    () => setChoice(""),
  );
  const chosen = others.find((account) => account.id === choice);
  return (
    <div className="space-y-3">
      {seats.length === 0 ? (
        <p className="text-sm text-slate-600">
          No sender account draws on this pool yet: its InMails take no credits from it.
        </p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200">
          {seats.map((account) => (
            <li key={account.id} className="flex items-center justify-between px-3 py-2 text-sm">
              <span className="font-medium text-slate-900">{account.name}</span>
              <Button
                variant="ghost"
                className="px-2 py-1 text-xs"
                disabled={change.isPending || !canManage}
                title={canManage ? undefined : ADMIN_ONLY}
                aria-label={`Take off ${account.name} from ${pool.name}`}
                onClick={() => change.mutate({ accountId: account.id, assign: false })}
              >
                Take off
              </Button>
            </li>
          ))}
        </ul>
      )}
      {others.length > 0 ? (
        <div className="flex flex-wrap items-end gap-3">
          <Select
            id={`seat-${pool.id}`}
            label="Add a sender account"
            value={choice}
            onChange={(event) => setChoice(event.target.value)}
            disabled={!canManage}
            className="min-w-56"
          >
            <option value="">Choose an account…</option>
            {others.map((account) => (
              <option key={account.id} value={account.id}>
                {account.name}
                {account.poolId ? " (moves from its current pool)" : ""}
              </option>
            ))}
          </Select>
          <Button
            variant="secondary"
            disabled={!chosen || change.isPending || !canManage}
            title={canManage ? (chosen ? undefined : "Choose an account first.") : ADMIN_ONLY}
            onClick={() => chosen && change.mutate({ accountId: chosen.id, assign: true })}
          >
            Add to pool
          </Button>
        </div>
      ) : (
        <p className="text-sm text-slate-500">Every sender account already draws on this pool.</p>
      )}
      {change.isError ? <Alert tone="error">{change.error.message}</Alert> : null}
    </div>
  );
}

/** Name, renewal day, refund policy, and a team or custom plan's own numbers. */
export function PoolSettingsForm({
  pool,
  settable,
  canManage,
}: {
  pool: PoolView;
  settable: boolean;
  canManage: boolean;
}) {
  const [refund, setRefund] = useState(pool.refundPolicy.type);
  const [done, setDone] = useState(false);
  const update = useCreditsMutation<Record<string, unknown>, unknown>(
    (body) => ({ url: `/api/credits/pools/${pool.id}`, method: "PATCH", body }),
    () => setDone(true),
  );
  const policy = pool.refundPolicy.type === "on_reply" ? pool.refundPolicy : null;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setDone(false);
    update.mutate({
      name: String(form.get("name") ?? ""),
      renewalDay: numberField(form, "renewalDay"),
      refundPolicy:
        refund === "none"
          ? { type: "none" }
          : {
              type: "on_reply",
              windowDays: numberField(form, "windowDays"),
              delayDays: numberField(form, "delayDays"),
            },
      ...(settable
        ? { allowance: numberField(form, "allowance"), cap: numberField(form, "cap") }
        : {}),
      // Empty: back to the default share of the allowance.
      lowThreshold: numberField(form, "lowThreshold") ?? null,
    });
  }

  const errors = update.fieldErrors;
  return (
    <form
      onSubmit={onSubmit}
      className="space-y-4"
      noValidate
      aria-label={`Settings of ${pool.name}`}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          id={`settings-name-${pool.id}`}
          name="name"
          label="Name"
          defaultValue={pool.name}
          disabled={!canManage}
          error={errors.name}
        />
        <Field
          id={`settings-day-${pool.id}`}
          name="renewalDay"
          label="Renewal day of the month"
          inputMode="numeric"
          defaultValue={pool.renewalDay}
          hint="Credits renew at midnight UTC; in shorter months, on the last day."
          disabled={!canManage}
          error={errors.renewalDay}
        />
        {settable ? (
          <>
            <Field
              id={`settings-allowance-${pool.id}`}
              name="allowance"
              label="Credits per month"
              inputMode="numeric"
              defaultValue={pool.allowance}
              disabled={!canManage}
              error={errors.allowance}
            />
            <Field
              id={`settings-cap-${pool.id}`}
              name="cap"
              label="Most the pool can hold"
              inputMode="numeric"
              defaultValue={pool.cap}
              disabled={!canManage}
              error={errors.cap}
            />
          </>
        ) : null}
        <Field
          id={`settings-low-${pool.id}`}
          name="lowThreshold"
          label="Low-credit alert below"
          inputMode="numeric"
          defaultValue={pool.lowThreshold ?? ""}
          placeholder={String(Math.ceil(pool.allowance * 0.1))}
          hint="Owners and admins are told once each time the balance falls below it. Empty: 10 % of the monthly allowance."
          disabled={!canManage}
          error={errors.lowThreshold}
        />
        <RefundFields
          idPrefix={`settings-${pool.id}`}
          refund={refund}
          onRefund={setRefund}
          windowDays={policy?.windowDays ?? 90}
          delayDays={policy?.delayDays ?? 1}
          disabled={!canManage}
          errors={errors}
        />
      </div>
      <Button
        type="submit"
        variant="secondary"
        disabled={update.isPending || !canManage}
        title={canManage ? undefined : ADMIN_ONLY}
      >
        {update.isPending ? "Saving…" : "Save settings"}
      </Button>
      {update.isError && Object.keys(errors).length === 0 ? (
        <Alert tone="error">{update.error.message}</Alert>
      ) : null}
      {done ? <Alert tone="success">Settings saved.</Alert> : null}
    </form>
  );
}

export function RefundFields({
  idPrefix,
  refund,
  onRefund,
  windowDays,
  delayDays,
  disabled,
  errors,
}: {
  idPrefix: string;
  refund: "none" | "on_reply";
  onRefund: (value: "none" | "on_reply") => void;
  windowDays: number;
  delayDays: number;
  disabled: boolean;
  errors: Record<string, string>;
}) {
  return (
    <>
      <Select
        id={`${idPrefix}-refund`}
        label="Refund policy"
        value={refund}
        onChange={(event) => onRefund(event.target.value === "none" ? "none" : "on_reply")}
        disabled={disabled}
      >
        <option value="none">No refunds</option>
        <option value="on_reply">Refund when the recipient replies</option>
      </Select>
      {refund === "on_reply" ? (
        <div className="grid grid-cols-2 gap-3">
          <Field
            id={`${idPrefix}-window`}
            name="windowDays"
            label="Reply within (days)"
            inputMode="numeric"
            defaultValue={windowDays}
            disabled={disabled}
            error={errors["refundPolicy.windowDays"]}
          />
          <Field
            id={`${idPrefix}-delay`}
            name="delayDays"
            label="Posted after (days)"
            inputMode="numeric"
            defaultValue={delayDays}
            disabled={disabled}
            error={errors["refundPolicy.delayDays"]}
          />
        </div>
      ) : null}
    </>
  );
}

/** Deletes a pool set up by mistake, after a second click; the server keeps pools in use. */
export function DeletePoolButton({ pool, canManage }: { pool: PoolView; canManage: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const remove = useCreditsMutation<void, unknown>(() => ({
    url: `/api/credits/pools/${pool.id}`,
    method: "DELETE",
  }));
  if (!canManage) return null;
  return (
    <div className="space-y-2">
      {confirming ? (
        <div className="flex flex-wrap items-center gap-2">
          <span className="text-sm text-slate-700">
            Delete {pool.name} and its ledger of {plural(pool.entries.length, "entry", "entries")}
            {pool.entries.length >= 8 ? " or more" : ""}?
          </span>
          <Button variant="danger" disabled={remove.isPending} onClick={() => remove.mutate()}>
            {remove.isPending ? "Deleting…" : "Yes, delete"}
          </Button>
          <Button variant="ghost" onClick={() => setConfirming(false)}>
            Keep it
          </Button>
        </div>
      ) : (
        <Button variant="danger" onClick={() => setConfirming(true)}>
          Delete pool
        </Button>
      )}
      {remove.isError ? <Alert tone="error">{remove.error.message}</Alert> : null}
    </div>
  );
}
