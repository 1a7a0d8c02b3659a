"use client";
import { useQuery } from "@tanstack/react-query";
import { requestJson } from "@/components/ui/api";
import { formatNumber, formatPercent } from "@/components/ui/format";
import type { CampaignReplies } from "@/views/inbox";
import { CategoryBadge } from "./category-badge";

/** The campaign's replies by category: one request shared by every view that shows them. */
export function useCampaignReplies(campaignId: string) {
  return useQuery({
    queryKey: ["campaign", campaignId, "replies"],
    queryFn: () => requestJson<CampaignReplies>(`/api/campaigns/${campaignId}/replies`),
    refetchInterval: 10_000,
  });
}

/** The campaign's replies by category, with the interested rate beside the reply rate. */
export function RepliesByCategory({ campaignId }: { campaignId: string }) {
  const replies = useCampaignReplies(campaignId);
  if (replies.isError) {
    return <p className="px-5 py-4 text-sm text-red-700">{replies.error.message}</p>;
  }
  if (!replies.data) return <p className="px-5 py-4 text-sm text-slate-500">Loading…</p>;
  const { contacted, replied, byCategory, replyRate, interestedRate } = replies.data;
  return (
    <div className="px-5 py-4 text-sm">
      <p className="text-slate-700">
        Reply rate <strong>{formatPercent(replyRate)}</strong> · interested rate{" "}
        <strong>{formatPercent(interestedRate)}</strong>{" "}
        <span className="text-slate-500">
          ({formatNumber(replied)} replied of {formatNumber(contacted)} written to)
        </span>
      </p>
      <ul className="mt-3 grid grid-cols-2 gap-2 sm:grid-cols-3">
        {Object.entries(byCategory).map(([category, count]) => (
          <li key={category} className="flex items-center justify-between gap-2">
            <CategoryBadge category={category} />
            <span className="tabular-nums text-slate-800">{formatNumber(count)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
