"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useState, useTransition } from "react";
import { createCampaignAction } from "@/app/(app)/campaigns/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Select } from "@/components/ui/field";

export interface TemplateOption {
  id: string;
  name: string;
  description: string;
}

export interface AccountOption {
  id: string;
  name: string;
  status: string;
}

/** Drawn from scratch in the editor: only the start step. */
const BLANK: TemplateOption = {
  id: "blank",
  name: "Blank canvas",
  description: "Only the start step: draw the campaign yourself in the editor.",
};

/**
 * Name, starter template and sender accounts: the campaign starts running at version 1, or is
 * created as a draft (blank or from the template) and opens in the editor.
 */
export function NewCampaignForm({
  templates,
  accounts,
  canManage,
}: {
  templates: TemplateOption[];
  accounts: AccountOption[];
  canManage: boolean;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const [templateId, setTemplateId] = useState(templates[0]?.id ?? "");
  const options = [...templates, BLANK];
  const template = options.find((t) => t.id === templateId);
  const blank = templateId === BLANK.id;

  const disabledReason = !canManage
    ? "Only owners and admins can create campaigns."
    : accounts.length === 0
      ? "Add a sender account first: campaigns send from one."
      : undefined;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const draft = blank || submitter?.getAttribute("value") === "draft";
    startTransition(async () => {
      const result = await createCampaignAction({
        name: String(form.get("name") ?? ""),
        templateId,
        accountIds: form.getAll("accountIds").map(String),
        ...(draft ? { draft: true } : {}),
      });
      if (!result.ok) {
        setError(result.error.message);
        setFieldErrors(result.error.fieldErrors ?? {});
        return;
      }
      router.push(draft ? `/campaigns/${result.data.id}/edit` : `/campaigns/${result.data.id}`);
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          id="campaign-name"
          name="name"
          label="Name"
          placeholder="Founders in Paris, Q3"
          required
          error={fieldErrors.name?.[0]}
        />
        <Select
          id="campaign-template"
          label="Starter template"
          value={templateId}
          onChange={(event) => setTemplateId(event.target.value)}
        >
          {options.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </Select>
      </div>
      {template ? <p className="text-sm text-slate-600">{template.description}</p> : null}
      <fieldset>
        <legend className="mb-1.5 block text-sm font-medium text-slate-700">Send from</legend>
        {accounts.length === 0 ? (
          <p className="text-sm text-slate-600">
            No sender accounts yet.{" "}
            <Link href="/accounts" className="font-medium text-brand-700 hover:underline">
              Add a sandbox account
            </Link>{" "}
            or load the demo.
          </p>
        ) : (
          <div className="flex flex-wrap gap-x-5 gap-y-2">
            {accounts.map((account, index) => (
              <label key={account.id} className="flex items-center gap-2 text-sm text-slate-800">
                <input
                  type="checkbox"
                  name="accountIds"
                  value={account.id}
                  defaultChecked={index === 0}
                  className="size-4 rounded border-slate-300"
                />
                {account.name}
                {account.status !== "active" ? (
                  <span className="text-xs text-slate-500">
                    ({account.status.replaceAll("_", " ")})
                  </span>
                ) : null}
              </label>
            ))}
          </div>
        )}
        {fieldErrors.accountIds ? (
          <p className="mt-1.5 text-sm text-red-700">{fieldErrors.accountIds[0]}</p>
        ) : null}
      </fieldset>
      <div className="flex items-center gap-3">
        <Button
          type="submit"
          name="mode"
          value="start"
          disabled={pending || disabledReason !== undefined || blank}
          title={blank ? "A blank campaign has to be drawn before it can run." : disabledReason}
        >
          {pending ? "Creating…" : "Create and start"}
        </Button>
        <Button
          type="submit"
          name="mode"
          value="draft"
          variant="secondary"
          disabled={pending || disabledReason !== undefined}
          title={disabledReason}
        >
          Create draft and edit
        </Button>
        {disabledReason ? <span className="text-sm text-slate-500">{disabledReason}</span> : null}
      </div>
      {error ? <Alert tone="error">{error}</Alert> : null}
    </form>
  );
}
