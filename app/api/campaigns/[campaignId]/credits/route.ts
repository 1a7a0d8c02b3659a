import { campaignCredits, campaignCreditsInput } from "@/server/credits/get-campaign-credits";
import { campaignBudgetsInput, setBudgets } from "@/server/credits/set-campaign-budgets";
import { workspaceRoute } from "@/server/http/guard";

// GET: the budget panel; PUT: the campaign's InMail budgets (whole campaign and per branch).
export const GET = workspaceRoute(campaignCreditsInput, (caller, input) =>
  campaignCredits(caller, input),
);
export const PUT = workspaceRoute(campaignBudgetsInput, setBudgets, { role: "admin" });
