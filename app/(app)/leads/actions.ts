"use server";
import { workspaceAction } from "@/server/http/guard";
import { addBlocklistEntries, addToBlocklistInput } from "@/server/leads/add-blocklist-entries";
import {
  addSelectedToCampaign,
  addSelectedToCampaignInput,
} from "@/server/leads/add-selected-to-campaign";
import { blocklistSelected, blocklistSelectedInput } from "@/server/leads/blocklist-selected-leads";
import {
  removeBlocklistEntries,
  removeFromBlocklistInput,
} from "@/server/leads/remove-blocklist-entries";
import {
  removeSelectedFromCampaign,
  removeSelectedFromCampaignInput,
} from "@/server/leads/remove-selected-from-campaign";
import { setLeadBlocked, setLeadBlockedInput } from "@/server/leads/set-lead-blocked";

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
