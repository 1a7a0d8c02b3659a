import { expect, type Locator, type Page, test } from "@playwright/test";
import { acceleratedServer } from "./accelerated-server";

// The dashboard is watched on an accelerated clock (one virtual hour a second), on a server of
// its own, so that the other specs keep the real clock. Its clock starts on a Monday morning
// (e2e/accelerated-server.ts); the demo seat works Monday to Friday, 09:00 to 18:00: its
// invitations go out once the virtual clock reaches working time (a night away at most, about
// 15 s), a new working day with fresh caps starts every 24 s, acceptances follow.
const server = acceleratedServer("dashboard", 50, 3600);
const VIRTUAL_DAY_MS = (24 * 60 * 60 * 1000) / server.timeScale;
/** From any instant of the first four virtual days to the next working hour: a night at most. */
const TO_WORKING_TIME_MS = (16 * 60 * 60 * 1000) / server.timeScale + 15_000;

test.describe.configure({ mode: "serial" });
// The demo seat works in the browser's time zone, which the server's clock start assumes.
test.use({ baseURL: server.baseUrl, timezoneId: "UTC" });

test.beforeAll(async () => {
  test.setTimeout(150_000);
  await server.start();
});

test.afterAll(() => server.stop());

const number = async (locator: Locator) =>
  Number(((await locator.textContent()) ?? "").replace(/[^\d]/g, "") || "0");

/** A count on the canvas: `[data-id]` is the step, `[data-count]` the figure on its card. */
const onCanvas = (page: Page, nodeId: string, count: "waiting" | "passed" | "failed") =>
  page.locator(`.react-flow__node[data-id="${nodeId}"] [data-count="${count}"] strong`);

async function figures(page: Page) {
  return {
    invited: await number(page.getByTestId("funnel-invited")),
    messaged: await number(page.getByTestId("funnel-messaged")),
    connectPassed: await number(onCanvas(page, "connect", "passed")),
    acceptedWaiting: await number(onCanvas(page, "accepted", "waiting")),
    acceptedPassed: await number(onCanvas(page, "accepted", "passed")),
    inmailPassed: await number(onCanvas(page, "inmail", "passed")),
    feedTop: await page.getByTestId("activity-feed").locator("tr").first().textContent(),
  };
}

/** Waits until the dashboard has fetched fresh figures `times` more times. */
async function waitForRefreshes(page: Page, times: number) {
  const stamp = page.getByTestId("dashboard-updated");
  for (let i = 0; i < times; i++) {
    const before = await stamp.getAttribute("datetime");
    await expect(stamp).not.toHaveAttribute("datetime", before ?? "", { timeout: 15_000 });
  }
}

test("watch the demo move on the canvas and in the funnel, then pause it and see nothing more happen", async ({
  page,
}) => {
  test.setTimeout(360_000);
  const unique = Date.now().toString(36);
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Wanda Watcher");
  await page.getByLabel("Work email").fill(`wanda-${unique}@example.com`);
  await page.getByLabel("Password").fill("outreach-rocks-2026");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/campaigns$/);

  await page.getByRole("button", { name: "Load demo" }).click();
  await expect(page).toHaveURL(/\/campaigns\/[\w-]+$/, { timeout: 30_000 });
  const main = page.getByRole("main");
  await expect(main.getByText("Running", { exact: true })).toBeVisible();

  // The published graph, read-only, every step drawn with its counts.
  const canvas = page.getByTestId("live-graph");
  for (const step of ["start", "connect", "accepted", "thanks", "inmail", "end-replied"]) {
    await expect(canvas.locator(`.react-flow__node[data-id="${step}"]`)).toBeVisible();
  }
  await expect(page.getByTestId("funnel-enrolled")).toHaveText("200");
  // Health at a glance: the interested rate beside the reply rate, from the replies' categories.
  await expect(page.getByTestId("rate-interested")).toHaveText(/^(—|\d+(\.\d+)?\s?%)$/);
  await expect(page.getByText(/\d+ of \d+ written to replied with interest/)).toBeVisible();

  // Invitations go out once working time comes: the funnel and the canvas count them, with no
  // reload.
  await expect
    .poll(() => number(page.getByTestId("funnel-invited")), { timeout: TO_WORKING_TIME_MS })
    .toBeGreaterThan(0);
  const first = await figures(page);
  expect(first.connectPassed).toBeGreaterThan(0);
  // The next working day brings fresh caps: both rise again.
  await expect
    .poll(() => number(page.getByTestId("funnel-invited")), {
      timeout: TO_WORKING_TIME_MS + VIRTUAL_DAY_MS,
    })
    .toBeGreaterThan(first.invited);
  await expect
    .poll(() => number(onCanvas(page, "connect", "passed")), { timeout: 15_000 })
    .toBeGreaterThan(first.connectPassed);
  // Leads wait on "If accepted within 7 days"; acceptances arrive and move some on.
  await expect
    .poll(() => number(onCanvas(page, "accepted", "waiting")), { timeout: 15_000 })
    .toBeGreaterThan(0);
  await expect(page.getByTestId("activity-feed").locator("tr").first()).toContainText("Sent");
  await expect(page.getByRole("img", { name: "Sent actions per day and kind" })).toBeVisible();

  await page.getByRole("button", { name: "Pause", exact: true }).click();
  await expect(main.getByText("Paused", { exact: true })).toBeVisible();
  // A batch the engine had already claimed may finish; then nothing moves.
  await page.waitForTimeout(3_000);
  await waitForRefreshes(page, 1);
  const paused = await figures(page);
  // More than a virtual day: a running campaign would have sent the next day's invitations.
  await page.waitForTimeout(VIRTUAL_DAY_MS + 6_000);
  await waitForRefreshes(page, 2);
  expect(await figures(page)).toEqual(paused);
});
