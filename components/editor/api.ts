/**
 * The editor's calls to the draft and publish routes. Each answers a value the caller can
 * show: the route's error message on failure, never a thrown response.
 */

import { requestResult } from "@/components/ui/api";
import type { PublishPreview, PublishResult } from "@/views/drafts";
import type { DraftGraph, StrandedChoice } from "@/workflows/graph/index";
import type { SaveResponse } from "./model/autosave";

export type { ApiResult } from "@/components/ui/api";

const request = requestResult;

export async function saveDraft(
  campaignId: string,
  graph: DraftGraph,
  baseHash: string,
): Promise<SaveResponse> {
  const result = await request<{ hash: string; unpublishedChanges: boolean }>(
    `/api/campaigns/${encodeURIComponent(campaignId)}/draft`,
    { method: "PUT", body: { graph, baseHash } },
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
    body: { draftHash, choices },
  });
}
