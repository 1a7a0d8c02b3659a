import { campaignDraftInput } from "@/server/drafts/draft-shared";
import { loadCampaignDraft } from "@/server/drafts/load-campaign-draft";
import { saveCampaignDraft, saveDraftInput } from "@/server/drafts/save-campaign-draft";
import { workspaceRoute } from "@/server/http/guard";

export const GET = workspaceRoute(campaignDraftInput, loadCampaignDraft);
/** A stale `baseHash` (another tab saved first) answers 409 `draft_conflict`. */
export const PUT = workspaceRoute(saveDraftInput, saveCampaignDraft, { role: "admin" });
