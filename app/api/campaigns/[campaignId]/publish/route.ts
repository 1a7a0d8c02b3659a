import { campaignDraftInput } from "@/server/drafts/draft-shared";
import { previewPublish } from "@/server/drafts/preview-publish";
import { publishCampaignDraft, publishInput } from "@/server/drafts/publish-campaign-draft";
import { workspaceRoute } from "@/server/http/guard";

/** What publishing would do: validation, and where the leads in flight would go. */
export const GET = workspaceRoute(campaignDraftInput, previewPublish);
export const POST = workspaceRoute(
  publishInput,
  (caller, input) => publishCampaignDraft(caller, input),
  { role: "admin", status: 201 },
);
