"use server";
import { retryHeldStep, retryHeldStepInput } from "@/server/campaign-alerts";
import {
  archiveCampaign,
  campaignRefInput,
  deleteDraft,
  duplicateCampaign,
  duplicateCampaignInput,
  renameCampaignFor,
  renameCampaignInput,
  unarchiveCampaign,
} from "@/server/campaign-housekeeping";
import {
  addLeadsInput,
  addLeadsToCampaign,
  campaignIdInput,
  createCampaignFor,
  createCampaignInput,
  pauseCampaign,
  removeLeadFromCampaign,
  removeLeadInput,
  resumeCampaign,
} from "@/server/campaigns";
import { loadDemo, loadDemoInput } from "@/server/demo";
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
