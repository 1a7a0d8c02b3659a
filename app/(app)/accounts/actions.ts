"use server";
import { accountIdInput } from "@/server/accounts/account-shared";
import {
  createSandboxAccount,
  createSandboxAccountInput,
} from "@/server/accounts/create-sandbox-account";
import { pauseAccount } from "@/server/accounts/pause-account";
import { resumeAccount } from "@/server/accounts/resume-account";
import {
  accountSettingsInput,
  updateAccountSettings,
} from "@/server/accounts/update-account-settings";
import { workspaceAction } from "@/server/http/guard";

// Members may look; adding, editing, pausing and resuming accounts takes an admin or an owner.
const admin = { role: "admin" } as const;

export const createSandboxAccountAction = workspaceAction(
  createSandboxAccountInput,
  createSandboxAccount,
  admin,
);
export const updateAccountSettingsAction = workspaceAction(
  accountSettingsInput,
  updateAccountSettings,
  admin,
);
export const pauseAccountAction = workspaceAction(accountIdInput, pauseAccount, admin);
export const resumeAccountAction = workspaceAction(accountIdInput, resumeAccount, admin);
