/** The campaign page's live views: each refetches when the dashboard's figures move. */
export const campaignKeys = {
  dashboard: (campaignId: string) => ["campaign-dashboard", campaignId] as const,
  credits: (campaignId: string) => ["campaign-credits", campaignId] as const,
  /** The kept forecast's finish date: read once by the header and the ETA tile. */
  eta: (campaignId: string) => ["campaign-eta", campaignId] as const,
  leads: (campaignId: string, search = "") => ["campaign-leads", campaignId, search] as const,
  /** Every leads query of the campaign, whatever its search. */
  allLeads: (campaignId: string) => ["campaign-leads", campaignId] as const,
};
