import type { ImportLeadsResult } from "@/views/leads";
import type { ImportLead } from "@/workflows/leads/rows";

export interface ImportRequest {
  leads: ImportLead[];
  campaignId?: string;
  allowInOtherCampaigns: boolean;
}

/**
 * Tells the server to stop an import this browser started, and answers how it ended: a cancel
 * can come too late, once the import is saved, and the user is then told so.
 */
async function cancelOnServer(importId: string): Promise<ImportOutcome> {
  const cancelled: ImportOutcome = {
    ok: false,
    cancelled: true,
    error: { status: 0, message: "Cancelled." },
  };
  try {
    const response = await fetch("/api/leads/import/cancel", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ importId }),
    });
    const body = (await response.json()) as
      | { state: "cancelled" | "failed" }
      | { state: "saved"; result: ImportLeadsResult };
    return body.state === "saved" ? { ok: true, result: body.result } : cancelled;
  } catch {
    return cancelled;
  }
}

export type ImportFailure = {
  status: number;
  message: string;
  fieldErrors?: Record<string, string[]>;
};

export type ImportOutcome =
  | { ok: true; result: ImportLeadsResult }
  | { ok: false; cancelled: boolean; error: ImportFailure };

/**
 * Sends an import to the API with XMLHttpRequest, which (unlike fetch) reports upload
 * progress. `onUploaded` fires once the server has the whole body and is saving it.
 */
export function uploadImport(
  request: ImportRequest,
  handlers: {
    onProgress: (fraction: number) => void;
    onUploaded: () => void;
    signal: AbortSignal;
  },
): Promise<ImportOutcome> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/leads/import");
    xhr.setRequestHeader("content-type", "application/json");
    xhr.responseType = "json";
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) handlers.onProgress(event.loaded / event.total);
    };
    xhr.upload.onload = () => handlers.onUploaded();
    xhr.onload = () => {
      const body = xhr.response as
        | ImportLeadsResult
        | { error?: { message?: string; fieldErrors?: Record<string, string[]> } }
        | null;
      if (xhr.status === 200 && body && "received" in body) {
        resolve({ ok: true, result: body });
        return;
      }
      const error = body && "error" in body ? body.error : undefined;
      resolve({
        ok: false,
        cancelled: false,
        error: {
          status: xhr.status,
          message: error?.message ?? `The server answered ${xhr.status}.`,
          fieldErrors: error?.fieldErrors,
        },
      });
    };
    xhr.onerror = () =>
      resolve({
        ok: false,
        cancelled: false,
        error: { status: 0, message: "The connection to the server was lost." },
      });
    const importId = crypto.randomUUID();
    xhr.onabort = () => {
      cancelOnServer(importId).then(resolve);
    };
    handlers.signal.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(JSON.stringify({ ...request, importId }));
  });
}
