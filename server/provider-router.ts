import type { Database } from "@/db/client";
import { type AccountRoute, findAccountRoute } from "@/db/queries/unipile";
import type {
  Provider,
  ProviderAccountRef,
  ProviderOutcome,
  ReconcileResult,
} from "@/workflows/providers/types";
import type { UnipileAdapters } from "./unipile/adapters";
import { syncAccountPool } from "./unipile/credits";

export interface ProviderRouterOptions {
  db: Database;
  /** The simulated LinkedIn, for sandbox seats. */
  sandbox: Provider;
  /** The workspaces' Unipile adapters, for real seats. */
  unipile: UnipileAdapters;
  log?: (message: string) => void;
}

/**
 * The engine's one Provider: each call goes to the sandbox world or to the seat's workspace's
 * Unipile adapter, by the sender account's provider. A real seat whose workspace has no usable
 * credentials is cooled down with the reason (nothing was sent; it tries again the next
 * working day) rather than paused, since the fix is a setting, not a reconnection.
 */
export function createProviderRouter(options: ProviderRouterOptions): Provider {
  const { db, sandbox, unipile } = options;
  // An account's provider and workspace never change, so they are looked up once.
  const routes = new Map<string, AccountRoute>();

  async function target(account: ProviderAccountRef): Promise<Provider | { missing: string }> {
    let route = routes.get(account.accountId);
    if (!route) {
      const found = await findAccountRoute(db, account.accountId);
      if (!found) return { missing: "The sender account no longer exists." };
      route = found;
      routes.set(account.accountId, route);
    }
    if (route.provider !== "unipile") return sandbox;
    return unipile.forWorkspace(route.workspaceId);
  }

  async function send(
    account: ProviderAccountRef,
    call: (provider: Provider) => Promise<ProviderOutcome>,
  ): Promise<ProviderOutcome> {
    const provider = await target(account);
    if ("missing" in provider) return { status: "limited", detail: provider.missing };
    return call(provider);
  }

  return {
    // The port names one provider; the engine never reads the name of the one it is given.
    name: "unipile",
    visit: (account, lead, ctx) => send(account, (p) => p.visit(account, lead, ctx)),
    follow: (account, lead, ctx) => send(account, (p) => p.follow(account, lead, ctx)),
    invite: (account, lead, input, ctx) =>
      send(account, (p) => p.invite(account, lead, input, ctx)),
    message: (account, lead, input, ctx) =>
      send(account, (p) => p.message(account, lead, input, ctx)),
    async inmail(account, lead, input, ctx) {
      const provider = await target(account);
      if ("missing" in provider) return { status: "limited", detail: provider.missing };
      const outcome = await provider.inmail(account, lead, input, ctx);
      if (provider !== sandbox && outcome.status === "not_sent" && outcome.reason === "no_credit") {
        // LinkedIn's count and the pool disagree: bring the pool in line before the next send.
        try {
          await syncAccountPool(db, unipile, account.accountId, ctx.at);
        } catch (error) {
          options.log?.(
            `InMail balance sync failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
      return outcome;
    },
    async reconcile(account, lead, input): Promise<ReconcileResult> {
      const provider = await target(account);
      if ("missing" in provider) return { status: "unknown" };
      return provider.reconcile(account, lead, input);
    },
    async inmailBalance(account) {
      const provider = await target(account);
      if ("missing" in provider) return null;
      return provider.inmailBalance(account);
    },
  };
}
