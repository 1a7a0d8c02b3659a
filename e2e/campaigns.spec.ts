import { expect, test } from "@playwright/test";

const unique = Date.now().toString(36);
const password = "outreach-rocks-2026";

test("load the demo, see its 200 leads running, pause it, and find it paused on the lists", async ({
  page,
}) => {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Dora Demo");
  await page.getByLabel("Work email").fill(`dora-${unique}@example.com`);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/campaigns$/);
  await expect(page.getByText("No campaigns yet")).toBeVisible();

  await page.getByRole("button", { name: "Load demo" }).click();
  await expect(page).toHaveURL(/\/campaigns\/[\w-]+$/, { timeout: 30_000 });
  const title = "Demo: Connect first, InMail those who don't accept";
  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  await expect(page.getByText(/^200 leads · sends from/)).toBeVisible();
  const main = page.getByRole("main");
  await expect(main.getByText("Running", { exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Pause", exact: true }).click();
  await expect(main.getByText("Paused", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Resume", exact: true })).toBeVisible();

  await page.getByRole("link", { name: "← Campaigns" }).click();
  await expect(page).toHaveURL(/\/campaigns$/);
  const row = page.getByRole("row", { name: new RegExp(title) });
  await expect(row.getByText("Paused", { exact: true })).toBeVisible();
  await expect(row.getByRole("cell", { name: "200", exact: true }).first()).toBeVisible();
  await expect(row.getByRole("button", { name: `Resume ${title}` })).toBeVisible();

  // On the lead list its leads read the campaign paused, not "in progress".
  await page.getByRole("link", { name: "Leads", exact: true }).click();
  await expect(page).toHaveURL(/\/leads$/);
  await expect(page.getByText(`${title} · paused`).first()).toBeVisible();
  await expect(page.getByText(`${title} · in progress`)).toHaveCount(0);
  // The badge says it: no line under it repeats "Campaign paused".
  await expect(page.getByRole("table").getByText("Campaign paused", { exact: true })).toHaveCount(
    0,
  );
});
