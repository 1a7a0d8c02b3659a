/**
 * The editor's calls to the draft and publish routes. Each answers a value the caller can
 * show: the route's error message on failure, never a thrown response.
 */

import type { PublishPreview, PublishResult } from "@/server/drafts";
import type { DraftGraph, StrandedChoice } from "@/workflows/graph/index";
import type { SaveResponse } from "./model/autosave";

export type ApiResult<T> =
  | { ok: true; data: T }
  | { ok: false; status: number; code: string; message: string };

async function request<T>(url: string, init: RequestInit): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      headers: { "content-type": "application/json", ...init.headers },
    });
  } catch {
    return { ok: false, status: 0, code: "offline", message: "The server could not be reached." };
  }
  const body = (await response.json().catch(() => null)) as
    | (T & { error?: { code?: string; message?: string } })
    | null;
  if (response.ok && body !== null) return { ok: true, data: body };
  return {
    ok: false,
    status: response.status,
    code: body?.error?.code ?? "error",
    message: body?.error?.message ?? `The server answered ${response.status}.`,
  };
}

export async function saveDraft(
  campaignId: string,
  graph: DraftGraph,
  baseHash: string,
): Promise<SaveResponse> {
  const result = await request<{ hash: string; unpublishedChanges: boolean }>(
    `/api/campaigns/${encodeURIComponent(campaignId)}/draft`,
    { method: "PUT", body: JSON.stringify({ graph, baseHash }) },
  );
  if (result.ok) {
    return {
      type: "saved",
      hash: result.data.hash,
      unpublishedChanges: result.data.unpublishedChanges,
    };
  }
  return result.status === 409
    ? { type: "conflict", message: result.message }
    : { type: "failed", message: result.message };
}

export function fetchPublishPreview(campaignId: string) {
  return request<PublishPreview>(`/api/campaigns/${encodeURIComponent(campaignId)}/publish`, {
    method: "GET",
  });
}

export function publishDraft(
  campaignId: string,
  draftHash: string,
  choices: Record<string, StrandedChoice>,
) {
  return request<PublishResult>(`/api/campaigns/${encodeURIComponent(campaignId)}/publish`, {
    method: "POST",
    body: JSON.stringify({ draftHash, choices }),
  });
}
