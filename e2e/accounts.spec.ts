import { expect, test } from "@playwright/test";
import { ACTION_KINDS } from "../workflows/nodes/catalog";

const unique = Date.now().toString(36);
const password = "outreach-rocks-2026";
const ZONE = "Europe/Paris";
const todayInZone = new Intl.DateTimeFormat("en-CA", { timeZone: ZONE }).format(new Date());

test("open an account, change its working hours, see its warm-up and safety score, pause and resume it", async ({
  page,
}) => {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Wendy Warmup");
  await page.getByLabel("Work email").fill(`wendy-${unique}@example.com`);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/campaigns$/);

  // A new sandbox seat whose warm-up starts today.
  await page.goto("/accounts");
  const addAccount = page.locator("form", {
    has: page.getByRole("button", { name: "Add sandbox account" }),
  });
  await addAccount.getByLabel("Name", { exact: true }).fill("Wendy's seat");
  await addAccount.getByLabel("Time zone", { exact: true }).fill(ZONE);
  await addAccount.getByLabel("Warm-up started on").fill(todayInZone);
  await addAccount.getByRole("button", { name: "Add sandbox account" }).click();
  await expect(page.getByText("Wendy's seat is ready")).toBeVisible();

  await page.getByRole("link", { name: "Wendy's seat" }).click();
  await expect(page).toHaveURL(/\/accounts\/[\w-]+$/);
  await expect(page.getByRole("heading", { name: "Wendy's seat", level: 1 })).toBeVisible();
  await expect(page.getByText(`Sandbox LinkedIn · Mon–Fri 09:00–18:00 · ${ZONE}`)).toBeVisible();

  // The warm-up chart: drawn, and its figures in the table beside it (week 1 at 20 %).
  const warmup = page.getByRole("figure");
  await expect(warmup.getByTestId("warmup-chart").locator("svg").first()).toBeVisible();
  // One line per action kind, and the total.
  await expect(warmup.locator(".recharts-line")).toHaveCount(ACTION_KINDS.length + 1);
  const firstStep = warmup.getByRole("row").nth(1);
  await expect(firstStep.getByRole("cell").first()).toHaveText("20 %");
  // 20 % of 25 invitations and of 150 actions a day.
  // Cells: the share, one per action kind in the catalog's order, then all actions.
  const cell = (i: number) => firstStep.getByRole("cell").nth(i);
  await expect(cell(1 + ACTION_KINDS.indexOf("connect"))).toHaveText("5");
  await expect(cell(1 + ACTION_KINDS.length)).toHaveText("30");
  await expect(warmup.getByRole("row").last().getByRole("cell").first()).toHaveText("100 %");

  // The safety score with its four factors and the weakest named.
  await expect(page.getByText("Safety score: 100")).toBeVisible();
  const factors = page.getByRole("list", { name: "Safety factors" });
  await expect(factors.getByRole("listitem")).toHaveCount(4);
  for (const label of ["Acceptance rate", "Pending invitations", "Error rate", "Cap pressure"]) {
    await expect(factors.getByText(label, { exact: true })).toBeVisible();
  }
  await expect(page.getByText("Weakest factor: Acceptance rate")).toBeVisible();
  await expect(page.getByText("Pauses itself below 40.")).toBeVisible();

  // Working hours that end before they start are refused, field by field.
  const settings = page.getByRole("form", { name: "Account settings" });
  await settings.getByLabel("Starts at").fill("10:00");
  await settings.getByLabel("Ends at").fill("08:00");
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(settings.getByLabel("Ends at")).toHaveAccessibleDescription(
    "Working hours must end at least an hour after they start.",
  );
  await expect(settings.getByRole("alert")).toHaveText(
    "Some settings need fixing: see the fields marked below.",
  );

  // Monday to Thursday, 10:00 to 16:00.
  await settings.getByLabel("Ends at").fill("16:00");
  await settings.getByLabel("Fri").uncheck();
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(settings.getByText("Settings saved")).toBeVisible();
  await expect(page.getByText(`Sandbox LinkedIn · Mon–Thu 10:00–16:00 · ${ZONE}`)).toBeVisible();
  await page.reload();
  await expect(settings.getByLabel("Starts at")).toHaveValue("10:00");
  await expect(settings.getByLabel("Ends at")).toHaveValue("16:00");
  await expect(settings.getByLabel("Fri")).not.toBeChecked();
  await expect(settings.getByLabel("Thu")).toBeChecked();

  // Pause, then resume.
  await page.getByRole("button", { name: "Pause Wendy's seat" }).click();
  await expect(page.getByText("Paused by Wendy Warmup", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Resume Wendy's seat" }).click();
  await expect(page.getByRole("button", { name: "Pause Wendy's seat" })).toBeVisible();
  await expect(page.getByText("Active", { exact: true }).first()).toBeVisible();

  // The list shows it active, with its new hours.
  await page.getByRole("link", { name: "← Accounts" }).click();
  const row = page.getByRole("row", { name: /Wendy's seat/ });
  await expect(row.getByText("Mon–Thu 10:00–16:00")).toBeVisible();
  await expect(row.getByText("Active", { exact: true })).toBeVisible();
});
