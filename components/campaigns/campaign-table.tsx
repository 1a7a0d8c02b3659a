import Link from "next/link";
import { formatNumber, formatPercent } from "@/components/ui/format";
import type { CampaignListItem } from "@/views/dashboard";
import { CampaignStatusButton } from "./campaign-status-button";
import { LocalTime } from "./local-time";
import { StatusBadge } from "./status-badge";

const percent = formatPercent;

/**
 * The workspace's campaigns: status, senders, leads enrolled / active / finished, acceptance
 * and reply rates, InMail credits used, last activity; launch, pause and resume in place.
 */
export function CampaignTable({
  campaigns,
  canManage,
}: {
  campaigns: CampaignListItem[];
  canManage: boolean;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-100 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="px-5 py-2.5 font-medium">Campaign</th>
            <th className="py-2.5 pr-3 font-medium">Status</th>
            <th className="py-2.5 pr-3 font-medium">Accounts</th>
            <th className="py-2.5 pr-3 text-right font-medium">Enrolled</th>
            <th className="py-2.5 pr-3 text-right font-medium">Active</th>
            <th className="py-2.5 pr-3 text-right font-medium">Finished</th>
            <th className="py-2.5 pr-3 text-right font-medium">Accepted</th>
            <th className="py-2.5 pr-3 text-right font-medium">Replied</th>
            <th className="py-2.5 pr-3 text-right font-medium">Credits</th>
            <th className="py-2.5 pr-3 font-medium">Last activity</th>
            <th className="py-2.5 pr-5 font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {campaigns.map((campaign) => {
            const { figures } = campaign;
            return (
              <tr key={campaign.id}>
                <td className="px-5 py-3">
                  <Link
                    href={`/campaigns/${campaign.id}`}
                    className="font-medium text-slate-900 hover:text-brand-700 hover:underline"
                  >
                    {campaign.name}
                  </Link>
                </td>
                <td className="py-3 pr-3">
                  <StatusBadge status={campaign.status} />
                </td>
                <td className="py-3 pr-3 text-slate-700">
                  {campaign.accounts.map((account) => account.name).join(", ") || "—"}
                </td>
                <td className="py-3 pr-3 text-right tabular-nums">
                  {formatNumber(campaign.counts.enrolled)}
                </td>
                <td className="py-3 pr-3 text-right tabular-nums">
                  {formatNumber(campaign.counts.active)}
                </td>
                <td className="py-3 pr-3 text-right tabular-nums">
                  {campaign.counts.done}
                  {campaign.counts.failed > 0 ? (
                    <span className="ml-1 text-xs text-red-700">
                      ({campaign.counts.failed} failed)
                    </span>
                  ) : null}
                </td>
                <td
                  className="py-3 pr-3 text-right tabular-nums"
                  title={`${figures.accepted} of ${figures.invited} invitations accepted`}
                >
                  {percent(figures.acceptanceRate)}
                </td>
                <td
                  className="py-3 pr-3 text-right tabular-nums"
                  title={`${figures.replied} of ${figures.texted} leads sent a note, message or InMail replied`}
                >
                  {percent(figures.replyRate)}
                </td>
                <td
                  className="py-3 pr-3 text-right tabular-nums"
                  title="InMail credits used: spent, less those given back or refunded"
                >
                  {figures.creditsUsed}
                </td>
                <td className="whitespace-nowrap py-3 pr-3 text-slate-600">
                  <LocalTime
                    iso={
                      campaign.lastActivityAt
                        ? new Date(campaign.lastActivityAt).toISOString()
                        : null
                    }
                    fallback="No activity yet"
                  />
                </td>
                <td className="py-3 pr-5 text-right">
                  <CampaignStatusButton
                    campaignId={campaign.id}
                    campaignName={campaign.name}
                    status={campaign.status}
                    published={campaign.published}
                    leadCount={campaign.counts.enrolled}
                    canManage={canManage}
                    compact
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
