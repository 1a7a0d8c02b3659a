import {
  campaignDraftInput,
  previewPublish,
  publishCampaignDraft,
  publishInput,
} from "@/server/drafts";
import { workspaceRoute } from "@/server/http/guard";

/** What publishing would do: validation, and where the leads in flight would go. */
export const GET = workspaceRoute(campaignDraftInput, previewPublish);
export const POST = workspaceRoute(
  publishInput,
  (caller, input) => publishCampaignDraft(caller, input),
  { role: "admin", status: 201 },
);
