import "server-only";

import type { Database } from "@/db/client";
import { createDatabaseSandboxStore } from "@/db/sandbox-store";
import { SandboxWorld } from "@/workflows/providers/sandbox/index";
import type { Provider } from "@/workflows/providers/types";
import { SANDBOX_SEED } from "../runtime/engine-runtime";
import { createProviderRouter } from "../runtime/provider-router";
import { createUnipileAdapters } from "../unipile/adapters";

const routers = new WeakMap<Database, Provider>();

/**
 * The provider a person's answer goes out through from the app server: the same router as the
 * engine's (sandbox seats to the sandbox world, real seats to their workspace's Unipile).
 */
export function answerProvider(db: Database): Provider {
  let router = routers.get(db);
  if (!router) {
    router = createProviderRouter({
      db,
      sandbox: new SandboxWorld({ seed: SANDBOX_SEED, store: createDatabaseSandboxStore(db) }),
      unipile: createUnipileAdapters(db),
    });
    routers.set(db, router);
  }
  return router;
}
