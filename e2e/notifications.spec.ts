import { expect, test } from "@playwright/test";

const unique = Date.now().toString(36);

test("the bell counts a finished import, lists it, marks it read; preferences say email is off", async ({
  page,
}) => {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Nora Notes");
  await page.getByLabel("Work email").fill(`nora-${unique}@example.com`);
  await page.getByLabel("Password").fill("outreach-rocks-2026");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/campaigns$/);
  await expect(page.getByRole("button", { name: "Notifications", exact: true })).toBeVisible();

  const imported = await page.request.post("/api/leads/import", {
    headers: { origin: new URL(page.url()).origin },
    data: {
      leads: [
        { publicIdentifier: `ada-${unique}`, firstName: "Ada", lastName: "Lovelace" },
        { publicIdentifier: `grace-${unique}`, firstName: "Grace", lastName: "Hopper" },
      ],
    },
  });
  expect(imported.status()).toBe(200);

  await page.reload();
  const bell = page.getByRole("button", { name: "Notifications, 1 unread" });
  await expect(bell).toBeVisible();
  await expect(page.getByTestId("notification-count")).toHaveText("1");
  await bell.click();
  const panel = page.getByRole("region", { name: "Notifications" });
  await expect(panel.getByText("Nora Notes's import finished: 2 leads")).toBeVisible();
  await expect(panel.getByText("2 new, 0 updated.")).toBeVisible();
  await panel.getByRole("button", { name: "Mark read" }).click();
  await expect(page.getByTestId("notification-count")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Notifications", exact: true })).toBeVisible();
  // Still listed, as read.
  await expect(panel.getByText("Nora Notes's import finished: 2 leads")).toBeVisible();
  await expect(panel.getByRole("button", { name: "Mark read" })).toHaveCount(0);

  await panel.getByRole("link", { name: "Choose what you are told, and how" }).click();
  await expect(page).toHaveURL(/\/settings#notifications$/);
  await expect(page.getByText("Email is off on this server")).toBeVisible();
  await page.getByRole("combobox", { name: "A lead import finished" }).selectOption("none");
  await page.getByRole("button", { name: "Save my choices" }).click();
  await expect(page.getByText("Your notification choices are saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("combobox", { name: "A lead import finished" })).toHaveValue("none");
});
