"use server";
import { addLeadsInput, addLeadsToCampaign } from "@/server/campaigns/add-leads-to-campaign";
import { archiveCampaign } from "@/server/campaigns/archive-campaign";
import { campaignIdInput } from "@/server/campaigns/campaign-shared";
import { createCampaignFor, createCampaignInput } from "@/server/campaigns/create-campaign";
import { deleteDraft } from "@/server/campaigns/delete-draft-campaign";
import { duplicateCampaign, duplicateCampaignInput } from "@/server/campaigns/duplicate-campaign";
import { campaignRefInput } from "@/server/campaigns/housekeeping-shared";
import { pauseCampaign } from "@/server/campaigns/pause-campaign";
import {
  removeLeadFromCampaign,
  removeLeadInput,
} from "@/server/campaigns/remove-lead-from-campaign";
import { renameCampaignFor, renameCampaignInput } from "@/server/campaigns/rename-campaign";
import { resumeCampaign } from "@/server/campaigns/resume-campaign";
import { retryHeldStep, retryHeldStepInput } from "@/server/campaigns/retry-held-step";
import { unarchiveCampaign } from "@/server/campaigns/unarchive-campaign";
import { loadDemo, loadDemoInput } from "@/server/demo/load-demo";
import { workspaceAction } from "@/server/http/guard";

// Members may look; changing a campaign takes an admin or an owner.
const admin = { role: "admin" } as const;

export const createCampaignAction = workspaceAction(createCampaignInput, createCampaignFor, admin);
export const pauseCampaignAction = workspaceAction(campaignIdInput, pauseCampaign, admin);
export const resumeCampaignAction = workspaceAction(campaignIdInput, resumeCampaign, admin);
export const addLeadsAction = workspaceAction(addLeadsInput, addLeadsToCampaign, admin);
export const removeLeadAction = workspaceAction(removeLeadInput, removeLeadFromCampaign, admin);
export const loadDemoAction = workspaceAction(
  loadDemoInput,
  (caller, input) => loadDemo(caller, input),
  admin,
);
export const retryHeldStepAction = workspaceAction(retryHeldStepInput, retryHeldStep, admin);
export const renameCampaignAction = workspaceAction(renameCampaignInput, renameCampaignFor, admin);
export const duplicateCampaignAction = workspaceAction(
  duplicateCampaignInput,
  duplicateCampaign,
  admin,
);
export const archiveCampaignAction = workspaceAction(campaignRefInput, archiveCampaign, admin);
export const unarchiveCampaignAction = workspaceAction(campaignRefInput, unarchiveCampaign, admin);
export const deleteDraftAction = workspaceAction(campaignRefInput, deleteDraft, admin);
