import "server-only";

import { z } from "zod";
import type { Caller } from "../http/guard";
import { clearCredentialsProblemFor, reportCredentialsProblem } from "./credentials-problem";
import { assertPublicDsn, probeUnipile } from "./credentials-shared";
import { requireWorkspaceUnipile } from "./workspace-unipile";

/** The settings' other actions: test the saved credentials, or register webhooks (webhooks.ts). */
export const credentialsActionInput = z.object({
  action: z.enum(["test", "register_webhooks"]),
});

export async function testUnipileCredentials(caller: Caller, now: Date = new Date()) {
  const unipile = await requireWorkspaceUnipile(caller.db, caller.workspace.workspaceId);
  await assertPublicDsn(unipile.dsn);
  const probe = await probeUnipile(unipile.client);
  if (probe.ok) await clearCredentialsProblemFor(caller.db, caller.workspace.workspaceId, now);
  else if (probe.refusedKey) {
    await reportCredentialsProblem(caller.db, caller.workspace.workspaceId, null, now);
  }
  return probe.ok
    ? {
        ok: true,
        message: `Unipile answered with ${probe.accounts} connected account${probe.accounts === 1 ? "" : "s"}.`,
      }
    : { ok: false, message: probe.message };
}
