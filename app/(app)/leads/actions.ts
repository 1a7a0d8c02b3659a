"use server";
import { workspaceAction } from "@/server/http/guard";
import {
  addSelectedToCampaign,
  addSelectedToCampaignInput,
  blocklistSelected,
  blocklistSelectedInput,
  removeSelectedFromCampaign,
  removeSelectedFromCampaignInput,
} from "@/server/lead-bulk";
import {
  addBlocklistEntries,
  addToBlocklistInput,
  removeBlocklistEntries,
  removeFromBlocklistInput,
  setLeadBlocked,
  setLeadBlockedInput,
} from "@/server/leads";

// Members may look; changing the blocklist takes an admin or an owner. Imports go through the
// route handler (app/api/leads/import), whose upload progress and cancel a form action lacks.
const admin = { role: "admin" } as const;

export const addToBlocklistAction = workspaceAction(
  addToBlocklistInput,
  addBlocklistEntries,
  admin,
);
export const removeFromBlocklistAction = workspaceAction(
  removeFromBlocklistInput,
  removeBlocklistEntries,
  admin,
);
export const setLeadBlockedAction = workspaceAction(setLeadBlockedInput, setLeadBlocked, admin);

export const addSelectedToCampaignAction = workspaceAction(
  addSelectedToCampaignInput,
  addSelectedToCampaign,
  admin,
);
export const removeSelectedFromCampaignAction = workspaceAction(
  removeSelectedFromCampaignInput,
  removeSelectedFromCampaign,
  admin,
);
export const blocklistSelectedAction = workspaceAction(
  blocklistSelectedInput,
  blocklistSelected,
  admin,
);
