import { notFound } from "next/navigation";
import { CampaignEditor } from "@/components/editor/campaign-editor";
import { loadCampaignDraft } from "@/server/drafts/load-campaign-draft";
import { HttpError } from "@/server/http/errors";
import { requirePageCaller } from "@/server/http/page-caller";
import type { EditorData } from "@/views/drafts";

export const metadata = { title: "Edit campaign · Outflow" };

export default async function EditCampaignPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ launch?: string | string[] }>;
}) {
  const caller = await requirePageCaller();
  const { id } = await params;
  const { launch } = await searchParams;
  let data: EditorData;
  try {
    data = await loadCampaignDraft(caller, { campaignId: id });
  } catch (error) {
    // Another workspace's campaign is as absent as one that never existed.
    if (error instanceof HttpError && error.status === 404) notFound();
    throw error;
  }
  return <CampaignEditor data={data} launchAfterPublish={launch === "1" && data.canEdit} />;
}
