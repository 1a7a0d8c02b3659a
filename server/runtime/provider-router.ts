import "server-only";

import type { Database } from "@/db/client";
import { type AccountRoute, findAccountRoute } from "@/db/queries/unipile";
import {
  apiOfPlan,
  type Provider,
  type ProviderAccountRef,
  type ProviderOutcome,
  type ReconcileResult,
} from "@/workflows/providers/types";
import type { UnipileAdapters } from "../unipile/adapters";
import { reportCredentialsProblem } from "../unipile/credentials-problem";
import { syncAccountPool } from "../unipile/credits";

/** How long an account's route (provider, workspace, plan) is reused before it is read again. */
const ROUTE_CACHE_MS = 60_000;

export interface ProviderRouterOptions {
  db: Database;
  /** The simulated LinkedIn, for sandbox seats. */
  sandbox: Provider;
  /** The workspaces' Unipile adapters, for real seats. */
  unipile: UnipileAdapters;
  log?: (message: string) => void;
  /** Real time in epoch ms, for the route cache; injectable for tests. */
  realTime?: () => number;
}

/**
 * The engine's one Provider: each call goes to the sandbox world or to the seat's workspace's
 * Unipile adapter, by the sender account's provider. A real seat whose workspace has no usable
 * credentials is cooled down with the reason (nothing was sent; it tries again the next
 * working day) rather than paused, since the fix is a setting, not a reconnection.
 */
export function createProviderRouter(options: ProviderRouterOptions): Provider {
  const { db, sandbox, unipile } = options;
  const realTime = options.realTime ?? Date.now;
  // An account's provider and workspace never change; its plan rarely does.
  const routes = new Map<string, { route: AccountRoute; at: number }>();

  async function routeOf(accountId: string): Promise<AccountRoute | null> {
    const cached = routes.get(accountId);
    if (cached && realTime() - cached.at < ROUTE_CACHE_MS) return cached.route;
    const found = await findAccountRoute(db, accountId);
    if (found) routes.set(accountId, { route: found, at: realTime() });
    return found;
  }

  async function target(
    account: ProviderAccountRef,
  ): Promise<
    { provider: Provider; ref: ProviderAccountRef; route: AccountRoute } | { missing: string }
  > {
    const route = await routeOf(account.accountId);
    if (!route) return { missing: "The sender account no longer exists." };
    if (route.provider !== "unipile") return { provider: sandbox, ref: account, route };
    const adapter = await unipile.forWorkspace(route.workspaceId);
    if ("missing" in adapter) return adapter;
    // The seat's plan decides which LinkedIn product its InMails go through.
    return {
      provider: adapter,
      ref: { ...account, linkedinApi: apiOfPlan(route.linkedinPlan) },
      route,
    };
  }

  async function send(
    account: ProviderAccountRef,
    at: Date,
    call: (provider: Provider, ref: ProviderAccountRef) => Promise<ProviderOutcome>,
  ): Promise<ProviderOutcome> {
    const found = await target(account);
    if ("missing" in found) return { status: "limited", detail: found.missing };
    const outcome = await call(found.provider, found.ref);
    if (outcome.status === "credentials" && found.provider !== sandbox) {
      // A refused API key is the workspace's problem: its banner, and its admins are told.
      try {
        await reportCredentialsProblem(db, found.route.workspaceId, outcome.detail ?? null, at);
      } catch (error) {
        options.log?.(
          `Recording the Unipile credentials problem failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    return outcome;
  }

  return {
    // The port names one provider; the engine never reads the name of the one it is given.
    name: "unipile",
    async perform(kind, account, lead, request, ctx) {
      let real = false;
      const outcome = await send(account, ctx.at, (p, ref) => {
        real = p !== sandbox;
        return p.perform(kind, ref, lead, request, ctx);
      });
      if (real && outcome.status === "not_sent" && outcome.reason === "no_credit") {
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
      const found = await target(account);
      if ("missing" in found) return { status: "unknown" };
      return found.provider.reconcile(found.ref, lead, input);
    },
    async inmailBalance(account) {
      const found = await target(account);
      if ("missing" in found) return null;
      return found.provider.inmailBalance(found.ref);
    },
    async withdrawInvitation(account, invitationId, ctx) {
      return send(account, ctx.at, (p, ref) =>
        p.withdrawInvitation
          ? p.withdrawInvitation(ref, invitationId, ctx)
          : Promise.resolve({ status: "failed", detail: "this provider cannot withdraw" }),
      );
    },
  };
}
