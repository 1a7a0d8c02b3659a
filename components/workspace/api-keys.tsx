"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { requestJson } from "@/components/ui/api";
import { Button } from "@/components/ui/button";
import { Field, Select } from "@/components/ui/field";

export interface ApiKeyRow {
  id: string;
  name: string;
  scope: "read" | "write";
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "never");

/** Create, list and revoke the workspace's API keys; a new key is shown once. */
export function ApiKeys({ keys }: { keys: ApiKeyRow[] }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [filter, setFilter] = useState("");
  const shown = keys.filter((key) => key.name.toLowerCase().includes(filter.toLowerCase()));

  const create = (form: FormData) =>
    startTransition(async () => {
      try {
        const result = await requestJson<{ name: string; key: string }>("/api/workspace/api-keys", {
          method: "POST",
          body: { name: form.get("name"), scope: form.get("scope") },
        });
        setCreated(result);
        setError(null);
        router.refresh();
      } catch (failure) {
        setError((failure as Error).message);
      }
    });

  const revoke = (key: ApiKeyRow) => {
    if (!window.confirm(`Revoke "${key.name}"? Scripts using it stop working at once.`)) return;
    startTransition(async () => {
      try {
        await requestJson(`/api/workspace/api-keys/${key.id}`, { method: "DELETE" });
        setError(null);
        router.refresh();
      } catch (failure) {
        setError((failure as Error).message);
      }
    });
  };

  return (
    <div className="space-y-4">
      {error ? <Alert tone="error">{error}</Alert> : null}
      {created ? (
        <Alert tone="success">
          <p className="font-medium">Copy the key "{created.name}" now: it is not shown again.</p>
          <code className="mt-2 block break-all rounded bg-white px-2 py-1 text-xs text-slate-900">
            {created.key}
          </code>
        </Alert>
      ) : null}
      <form action={create} className="flex flex-wrap items-end gap-3">
        <Field
          id="api-key-name"
          name="name"
          label="Name"
          required
          maxLength={100}
          placeholder="CRM sync"
        />
        <Select id="api-key-scope" name="scope" label="Access" defaultValue="read">
          <option value="read">Read only</option>
          <option value="write">Read and write</option>
        </Select>
        <Button type="submit" disabled={pending}>
          Create key
        </Button>
      </form>
      {keys.length > 3 ? (
        <Field
          id="api-key-filter"
          label="Filter keys"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
        />
      ) : null}
      {shown.length === 0 ? (
        <p className="text-sm text-slate-500">No API keys yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200">
          {shown.map((key) => (
            <li key={key.id} className="flex items-center justify-between gap-3 px-4 py-3 text-sm">
              <div>
                <span className="font-medium text-slate-900">{key.name}</span>
                <span className="text-slate-500">
                  {" "}
                  · {key.scope === "write" ? "read and write" : "read only"} · {key.prefix}… · last
                  used {when(key.lastUsedAt)}
                </span>
                {key.revokedAt ? (
                  <span className="text-red-700"> · revoked {when(key.revokedAt)}</span>
                ) : null}
              </div>
              {key.revokedAt ? null : (
                <Button
                  variant="danger"
                  className="px-2.5 py-1 text-xs"
                  disabled={pending}
                  onClick={() => revoke(key)}
                >
                  Revoke
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
