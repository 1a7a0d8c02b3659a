import { expect, type Locator, type Page, test } from "@playwright/test";
import { formatDay } from "../components/credits/format";
import { nextRenewal } from "../workflows/credits/renewal";

// The seeded scenario (test/credits-scenario.ts, loaded by e2e/seed/credits.ts before the
// server starts): a Recruiter Lite pool at 100 of 120 renewing in about 15 days, and a campaign
// with two InMail branches whose every credit is known.

const EMAIL = "carla.credits@example.com";
const PASSWORD = "credits-scenario-42";
const DAY = 86_400_000;
const FIRST_ROW = "Not accepted within 7 days › InMail 'Quick question'";
const FOLLOW_UP_ROW =
  "Not accepted within 7 days › No reply within 10 days › InMail 'Following up'";

function stat(pool: Locator, label: string) {
  return pool
    .locator("dl > div", { has: pool.page().getByText(label, { exact: true }) })
    .locator("dd");
}

async function signIn(page: Page) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/campaigns$/);
}

test("the budget panel shows the seeded numbers; budgets, a purchase and a correction update it", async ({
  page,
}) => {
  const now = Date.now();
  const renewalDay = new Date(now + 15 * DAY).getUTCDate();
  const renewal = formatDay(
    nextRenewal({ renewalAnchorDay: renewalDay, timeZone: "UTC" }, new Date(now)),
  );

  await signIn(page);
  await page.getByRole("link", { name: "Connect, then InMail" }).click();
  await expect(page.getByRole("heading", { name: "Connect, then InMail", level: 1 })).toBeVisible();

  // The pool the campaign's seat draws on.
  const pool = page.getByRole("region", { name: "Recruiter team pool" });
  await expect(pool.getByText("Recruiter Lite · 30 a month, at most 120")).toBeVisible();
  await expect(stat(pool, "Balance")).toHaveText("100");
  await expect(stat(pool, "Next renewal")).toHaveText(`${renewal}+20 credits`);
  await expect(stat(pool, "Refunds pending")).toHaveText("3");
  await expect(stat(pool, "Seats")).toHaveText("Carla's seat");
  await expect(pool.getByRole("status")).toHaveText(
    `10 credits will be forfeited at the renewal on ${renewal} unless they are spent first: the pool holds at most 120, so the renewal can only add 20 of its 30.`,
  );
  const chart = pool.getByRole("img", { name: /^Balance of Recruiter team over time: 80 on / });
  await expect(chart).toHaveAttribute(
    "aria-label",
    new RegExp(`, 100 on ${formatDay(new Date(now - 10 * 3_600_000))}\\.$`),
  );
  await expect(chart.locator(".recharts-area")).toBeVisible();

  // The projection: 160 credits needed at 5 a day; 100 + the renewal's 30 last 26 days.
  await expect(
    page.getByText(
      `Runs out on ${formatDay(new Date(now + 26 * DAY))} — 30 leads will take the not-sent exit.`,
      { exact: true },
    ),
  ).toBeVisible();
  await expect(
    page.getByText(/^343 leads still in flight will need about 160 credits/),
  ).toBeVisible();
  await expect(
    page.getByText("No budget for the whole campaign: 50 credits used, net of refunds.", {
      exact: true,
    }),
  ).toBeVisible();

  // One row per InMail branch, every column.
  const first = page.getByRole("row", { name: new RegExp(`^${FIRST_ROW}`) });
  await expect(first.getByRole("cell")).toHaveText([
    "43",
    "35",
    "2",
    "2",
    "4 (3 refuse InMail, 1 budget reached)",
    "35",
    "4",
    "2",
    "31",
    "7",
    "4.43",
    "No budget",
  ]);
  const followUp = page.getByRole("row", { name: new RegExp(`^${FOLLOW_UP_ROW}`) });
  await expect(followUp.getByRole("cell")).toHaveText([
    "20",
    "20",
    "0",
    "0",
    "0",
    "20",
    "1",
    "1",
    "19",
    "2",
    "9.5",
    "No budget",
  ]);
  const totals = page.getByRole("row", { name: /^All branches/ });
  await expect(totals.getByRole("cell")).toHaveText(["", "55", "5", "3", "50", "9", "5.56", ""]);

  // A budget on the follow-up branch and one for the whole campaign.
  await page.getByLabel(`Budget for ${FOLLOW_UP_ROW}`, { exact: true }).fill("25");
  await page.getByLabel("Budget for the whole campaign", { exact: true }).fill("60");
  await page.getByRole("button", { name: "Save budgets" }).click();
  await expect(followUp.getByRole("cell").last()).toHaveText("19 of 25");
  await expect(first.getByRole("cell").last()).toHaveText("No budget");
  await expect(
    page.getByText("Campaign budget: 50 of 60 credits used, net of refunds.", { exact: true }),
  ).toBeVisible();
  await expect(page.getByLabel(`Budget for ${FOLLOW_UP_ROW}`, { exact: true })).toHaveValue("25");

  // The Credits page: buy a block of 10, then correct the balance.
  await page.getByRole("link", { name: "All credit pools" }).click();
  await expect(page).toHaveURL(/\/credits$/);
  const managed = page.getByRole("region", { name: "Recruiter team pool" });
  await expect(stat(managed, "Balance")).toHaveText("100");
  await managed.getByRole("button", { name: "Buy 10 credits" }).click();
  await expect(managed.getByText("Bought 10 credits: the balance is now 110.")).toBeVisible();
  await expect(stat(managed, "Balance")).toHaveText("110");
  await expect(managed.getByText(/^20 credits will be forfeited at the renewal on/)).toBeVisible();

  const correction = managed.getByRole("form", { name: "Correct the balance of Recruiter team" });
  await correction.getByLabel("Change").fill("-200");
  await correction.getByLabel("Reason").fill("LinkedIn shows nothing");
  await correction.getByRole("button", { name: "Correct the balance" }).click();
  await expect(
    correction.getByText(
      "Recruiter team holds 110 credits: a correction of -200 would take it below zero.",
    ),
  ).toBeVisible();
  await expect(stat(managed, "Balance")).toHaveText("110");

  await correction.getByLabel("Change").fill("-4");
  await correction.getByLabel("Reason").fill("LinkedIn shows 106");
  await correction.getByRole("button", { name: "Correct the balance" }).click();
  await expect(correction.getByText("Corrected: the balance is now 106.")).toBeVisible();
  await expect(stat(managed, "Balance")).toHaveText("106");
  const entries = managed.getByRole("region", { name: "Latest ledger entries" });
  await expect(entries.getByRole("row").nth(1).getByRole("cell")).toHaveText([
    formatDay(new Date()),
    "Correction",
    "−4",
    "LinkedIn shows 106",
  ]);
  await expect(entries.getByRole("row").nth(2).getByRole("cell")).toHaveText([
    formatDay(new Date()),
    "Purchase",
    "+10",
    "1 add-on block of 10",
  ]);

  // Back on the campaign, the panel shows the new balance and what the renewal would forfeit.
  await page.goBack();
  await expect(stat(pool, "Balance")).toHaveText("106");
  await expect(pool.getByRole("status")).toContainText("16 credits will be forfeited");
});
