import { expect, test } from "@playwright/test";

const unique = Date.now().toString(36);
const email = `nora-${unique}@example.com`;
const password = "outreach-rocks-2026";

test("an unauthenticated visit to a page redirects to sign-in and back after signing in", async ({
  page,
}) => {
  await page.goto("/leads");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fleads$/);
  await expect(page.getByRole("heading", { name: "Sign in to your workspace" })).toBeVisible();
});

test("sign up, land in the new workspace, sign out, fail with a wrong password, sign in again", async ({
  page,
}) => {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Nora Quinn");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("form [role=alert]")).toHaveText(
    "Use at least 10 characters for your password.",
  );

  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/campaigns$/);
  await expect(page.getByRole("heading", { name: "Campaigns", level: 1 })).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Workspace" })).toContainText("Nora's workspace");
  await expect(page.getByText("No campaigns yet")).toBeVisible();

  for (const [link, heading] of [
    ["Leads", "Leads"],
    ["Accounts", "Sender accounts"],
    ["Credits", "InMail credits"],
  ] as const) {
    await page.getByRole("link", { name: link }).click();
    await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
  }

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/campaigns");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fcampaigns/);

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("not-my-password-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("form [role=alert]")).toHaveText("Wrong email or password.");

  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/campaigns$/);
  await expect(page.getByText("Nora Quinn")).toBeVisible();
});

test("an owner invites a teammate by link, who joins the workspace and can switch back", async ({
  page,
  browser,
}) => {
  const owner = `olga-${unique}@example.com`;
  const teammate = `tom-${unique}@example.com`;
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Olga Owner");
  await page.getByLabel("Work email").fill(owner);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/campaigns$/);

  await page.getByRole("link", { name: "Workspace" }).click();
  await page.getByLabel("Email").fill(teammate);
  await page.getByRole("button", { name: "Create invitation" }).click();
  const link = await page.getByLabel("Invitation link").first().inputValue();
  expect(link).toMatch(/\/invite\/[\w-]+$/);

  const other = await browser.newContext();
  const tom = await other.newPage();
  await tom.goto(link);
  await expect(tom.getByRole("heading", { name: "Join Olga's workspace" })).toBeVisible();
  await tom.getByRole("link", { name: "Create an account" }).click();
  await tom.getByLabel("Your name").fill("Tom Teammate");
  await tom.getByLabel("Work email").fill(teammate);
  await tom.getByLabel("Password").fill(password);
  await tom.getByRole("button", { name: "Create account" }).click();
  await expect(tom).toHaveURL(/\/invite\//);
  await tom.getByRole("button", { name: "Accept and join" }).click();
  await expect(tom).toHaveURL(/\/campaigns$/);
  const switcher = tom.getByRole("combobox", { name: "Workspace" });
  await expect(switcher.locator("option:checked")).toHaveText("Olga's workspace");

  await switcher.selectOption({ label: "Tom's workspace" });
  await expect(switcher.locator("option:checked")).toHaveText("Tom's workspace");
  await tom.reload();
  await expect(
    tom.getByRole("combobox", { name: "Workspace" }).locator("option:checked"),
  ).toHaveText("Tom's workspace");
  await other.close();
});
