import { z } from "zod";
import { withWorkspace, workspaceRoute } from "@/server/http/guard";
import { getUnipileSettings } from "@/server/unipile/get-unipile-settings";
import { removeUnipileCredentials } from "@/server/unipile/remove-unipile-credentials";
import {
  saveCredentialsInput,
  saveUnipileCredentials,
} from "@/server/unipile/save-unipile-credentials";
import {
  credentialsActionInput,
  testUnipileCredentials,
} from "@/server/unipile/test-unipile-credentials";
import { registerUnipileWebhooks } from "@/server/unipile/webhooks";

// The workspace's Unipile DSN and API key. The key goes in and is never read back.
const admin = { role: "admin" } as const;

export const GET = withWorkspace(async (_request, caller) =>
  Response.json(await getUnipileSettings(caller)),
);

export const PUT = workspaceRoute(
  saveCredentialsInput,
  (caller, input) => saveUnipileCredentials(caller, input),
  admin,
);

export const POST = workspaceRoute(
  credentialsActionInput,
  (caller, input) =>
    input.action === "test" ? testUnipileCredentials(caller) : registerUnipileWebhooks(caller),
  admin,
);

export const DELETE = workspaceRoute(z.object({}), removeUnipileCredentials, admin);
