"use client";
import { useRouter } from "next/navigation";
import { type FormEvent, useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { requestResult } from "@/components/ui/api";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { formatDateTime } from "@/components/ui/format";

export type UnipileCallResult =
  | { ok: true; data: Record<string, unknown> }
  | { ok: false; message: string; fieldErrors: Record<string, string[]> };

/** Calls one of the app's Unipile routes and reads its JSON answer or error. */
export async function callUnipileRoute(
  path: string,
  method: "POST" | "PUT" | "DELETE",
  body: unknown = {},
): Promise<UnipileCallResult> {
  const result = await requestResult<Record<string, unknown>>(path, { method, body });
  return result.ok
    ? result
    : { ok: false, message: result.message, fieldErrors: result.fieldErrors };
}

/**
 * The workspace's Unipile DSN and API key. The key is write-only: the form never shows the one
 * stored, only whether one is.
 */
export function UnipileCredentialsForm({
  configured,
  dsn,
  updatedAt,
  encryptionKeyProblem,
  canManage,
}: {
  configured: boolean;
  dsn: string | null;
  updatedAt: Date | null;
  encryptionKeyProblem: string | null;
  canManage: boolean;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const disabledReason = !canManage
    ? "Only owners and admins can change the Unipile connection."
    : encryptionKeyProblem
      ? "Set the encryption key on the server first."
      : undefined;

  function run(call: () => Promise<UnipileCallResult>, after?: () => void) {
    startTransition(async () => {
      const result = await call();
      if (!result.ok) {
        setNotice({ tone: "error", text: result.message });
        setFieldErrors(result.fieldErrors);
        return;
      }
      setFieldErrors({});
      const message = typeof result.data.message === "string" ? result.data.message : "Done.";
      setNotice({ tone: result.data.ok === false ? "error" : "success", text: message });
      after?.();
      router.refresh();
    });
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    run(
      () =>
        callUnipileRoute("/api/workspace/unipile", "PUT", {
          dsn: String(form.get("dsn") ?? ""),
          apiKey: String(form.get("apiKey") ?? ""),
        }),
      () => formElement.reset(),
    );
  }

  return (
    <div className="space-y-4">
      {encryptionKeyProblem ? <Alert tone="warning">{encryptionKeyProblem}</Alert> : null}
      <p className="text-sm text-slate-700">
        {configured ? (
          <>
            Connected to <span className="font-medium">{dsn}</span>
            {updatedAt ? `, saved ${formatDateTime(updatedAt)}` : ""}. The API key is stored
            encrypted and is never shown again.
          </>
        ) : (
          "No Unipile credentials yet: paste the DSN and an API key from your Unipile dashboard."
        )}
      </p>
      <form onSubmit={onSubmit} className="space-y-4" noValidate autoComplete="off">
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id="unipile-dsn"
            name="dsn"
            label="DSN"
            placeholder="api8.unipile.com:13851"
            defaultValue={dsn ?? ""}
            required
            error={fieldErrors.dsn?.[0]}
          />
          <Field
            id="unipile-api-key"
            name="apiKey"
            type="password"
            label={configured ? "New API key" : "API key"}
            placeholder={configured ? "Paste a key to replace the stored one" : ""}
            autoComplete="new-password"
            required
            error={fieldErrors.apiKey?.[0]}
          />
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={pending || !!disabledReason} title={disabledReason}>
            {pending ? "Checking…" : configured ? "Replace credentials" : "Save and test"}
          </Button>
          {configured ? (
            <>
              <Button
                variant="secondary"
                disabled={pending || !!disabledReason}
                onClick={() =>
                  run(() => callUnipileRoute("/api/workspace/unipile", "POST", { action: "test" }))
                }
              >
                Test connection
              </Button>
              <Button
                variant="secondary"
                disabled={pending || !!disabledReason}
                title="Creates Unipile webhooks for new messages, new relations and account status, pointing at this app."
                onClick={() =>
                  run(() =>
                    callUnipileRoute("/api/workspace/unipile", "POST", {
                      action: "register_webhooks",
                    }),
                  )
                }
              >
                Register webhooks
              </Button>
              <Button
                variant="danger"
                disabled={pending || !canManage}
                onClick={() => run(() => callUnipileRoute("/api/workspace/unipile", "DELETE"))}
              >
                Remove
              </Button>
            </>
          ) : null}
        </div>
      </form>
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
    </div>
  );
}
