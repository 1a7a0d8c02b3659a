import "server-only";

import type { UnipileClient } from "unipile-node-sdk";
import {
  describeFailure,
  errorType,
  unipileErrorBody,
  withTimeout,
} from "@/workflows/providers/unipile/index";
import { badRequest } from "../http/errors";
import { assertPublicHost } from "../net/public-host";

// What saving and testing the credentials share: the DSN host check and the probe.

const TEST_TIMEOUT_MS = 10_000;

/** `OUTFLOW_ALLOW_LOCAL_DSN=1` lets a DSN be plain http on a local host (test fakes only). */
export function localDsnAllowed(env: Partial<NodeJS.ProcessEnv> = process.env): boolean {
  return env.OUTFLOW_ALLOW_LOCAL_DSN === "1";
}

/**
 * The DSN must name a public host: Outflow calls it from the server, so a private address
 * would let a workspace probe the server's own network. Refused unless OUTFLOW_ALLOW_LOCAL_DSN=1.
 */
export async function assertPublicDsn(
  dsn: string,
  env: Partial<NodeJS.ProcessEnv> = process.env,
  resolve?: (host: string) => Promise<string[]>,
): Promise<void> {
  if (localDsnAllowed(env)) return;
  try {
    await assertPublicHost(new URL(dsn).hostname, resolve);
  } catch (error) {
    throw badRequest(
      `The DSN must be Unipile's public address: ${(error as Error).message}`,
      "invalid_dsn",
    );
  }
}

/** Asks Unipile for the list of accounts: proves the DSN answers and the key is accepted. */
export async function probeUnipile(
  client: UnipileClient,
): Promise<{ ok: true; accounts: number } | { ok: false; message: string; refusedKey?: boolean }> {
  try {
    const answer = await withTimeout("list accounts", TEST_TIMEOUT_MS, () =>
      client.account.getAll({ limit: 100 }),
    );
    const items = (answer as { items?: unknown[] }).items;
    return { ok: true, accounts: Array.isArray(items) ? items.length : 0 };
  } catch (error) {
    const body = unipileErrorBody(error);
    if (body?.status === 401) {
      return {
        ok: false,
        refusedKey: true,
        message: `Unipile refused the API key (${errorType(body) || "401"}).`,
      };
    }
    return { ok: false, message: `Unipile could not be reached: ${describeFailure(error)}.` };
  }
}
