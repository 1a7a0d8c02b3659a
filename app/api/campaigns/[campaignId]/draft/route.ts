import {
  campaignDraftInput,
  loadCampaignDraft,
  saveCampaignDraft,
  saveDraftInput,
} from "@/server/drafts";
import { workspaceRoute } from "@/server/http/guard";

export const GET = workspaceRoute(campaignDraftInput, loadCampaignDraft);
/** A stale `baseHash` (another tab saved first) answers 409 `draft_conflict`. */
export const PUT = workspaceRoute(saveDraftInput, saveCampaignDraft, { role: "admin" });
