// Seeds the browser test of the budget panel (e2e/credits.spec.ts): a user with a workspace
// holding the campaign of test/credits-scenario.ts. Playwright runs it on the test's fresh data
// directory before `next start` (PGlite lets one process at a time open a directory).
import { getDatabaseHandle } from "@/db/client";
import { listMembershipsOf } from "@/db/queries/workspaces";
import { getAuth } from "@/server/auth/auth";
import { SCENARIO_PASSWORD, seedCreditsScenario } from "@/test/credits-scenario";

const CREDITS_USER = { name: "Carla Credits", email: "carla.credits@example.com" };

const handle = await getDatabaseHandle();
try {
  const auth = await getAuth();
  // Signing up through better-auth creates the user's workspace, as the sign-up page does.
  const { user } = await auth.api.signUpEmail({
    body: { ...CREDITS_USER, password: SCENARIO_PASSWORD },
  });
  const [membership] = await listMembershipsOf(handle.db, user.id);
  if (!membership) throw new Error("sign-up made no workspace");
  await seedCreditsScenario(handle.db, membership.workspaceId, new Date());
  console.log(`[e2e seed] credits scenario ready for ${CREDITS_USER.email}`);
} finally {
  await handle.close();
}
