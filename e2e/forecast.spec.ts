import { expect, type Page, test } from "@playwright/test";

// The seeded credits scenario (e2e/seed/credits.ts): a running campaign on one seat with
// leads in flight. The forecast runs it ahead on the sandbox; a second seat brings the end
// nearer.

const EMAIL = "carla.credits@example.com";
const PASSWORD = "credits-scenario-42";

async function signIn(page: Page) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/campaigns$/);
}

async function finishDate(page: Page): Promise<number> {
  const text = await page.getByTestId("forecast-finish").textContent();
  const match = /finishes around (\d{1,2} \w{3} \d{4})/.exec(text ?? "");
  expect(match, text ?? "").not.toBeNull();
  return Date.parse(`${match![1]} UTC`);
}

test("the forecast shows the sends per seat and the finish; a second seat brings it earlier", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signIn(page);
  await page.getByRole("link", { name: "Connect, then InMail" }).click();
  const panel = page.getByRole("region", { name: "Forecast" });
  await panel.getByRole("button", { name: "Forecast" }).click();
  await expect(panel.getByTestId("forecast-finish")).toBeVisible({ timeout: 90_000 });
  await expect(panel.getByRole("img", { name: /^Sends per day for / })).toBeVisible();
  await expect(panel.locator(".recharts-line").first()).toBeVisible();
  const before = await finishDate(page);

  await panel.getByLabel("Seats").fill("2");
  await panel.getByRole("button", { name: "Forecast again" }).click();
  await expect(panel.getByText(/on 2 seats:/)).toBeVisible({ timeout: 90_000 });
  const after = await finishDate(page);
  expect(after).toBeLessThan(before);
});
