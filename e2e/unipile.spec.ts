import { createHmac } from "node:crypto";
import { expect, test } from "@playwright/test";
import { accountStatusWebhook, FakeUnipile } from "@/test/fake-unipile/server";

const unique = Date.now().toString(36);
const password = "outreach-rocks-2026";

let fake: FakeUnipile;

test.beforeAll(async () => {
  fake = await new FakeUnipile({ apiKey: `unipile-e2e-key-${unique}` }).start();
});
test.afterAll(async () => {
  await fake?.stop();
});

test("save Unipile credentials, connect a LinkedIn seat through hosted auth, and reconnect it when Unipile says so", async ({
  page,
}) => {
  // Unipile's hosted sign-in page, as far as this test goes.
  await page.route("https://account.unipile.test/**", (route) =>
    route.fulfill({ contentType: "text/html", body: "<title>Unipile</title><h1>Sign in</h1>" }),
  );
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Lin Real");
  await page.getByLabel("Work email").fill(`lin-${unique}@example.com`);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/campaigns$/);

  await page.goto("/accounts");
  await expect(page.getByRole("heading", { name: "Real LinkedIn accounts" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Connect a LinkedIn account" })).toBeDisabled();
  await page.getByLabel("DSN").fill(fake.baseUrl);
  await page.getByLabel("API key").fill(fake.apiKey);
  await page.getByRole("button", { name: "Save and test" }).click();
  await expect(page.getByText("Saved. Unipile answered with 0 connected accounts.")).toBeVisible();
  await expect(page.getByText(`Connected to ${fake.baseUrl}`)).toBeVisible();
  // The key went in and never comes back.
  await expect(page.getByLabel("New API key")).toHaveValue("");
  expect(await page.content()).not.toContain(fake.apiKey);

  await page.locator("#unipile-account-name").fill("Lin's LinkedIn");
  await page.getByRole("button", { name: "Connect a LinkedIn account" }).click();
  await expect(page).toHaveURL(/^https:\/\/account\.unipile\.test\/hosted\//);
  const link = fake.hostedLinks.at(-1)!;
  expect(link).toMatchObject({ type: "create", providers: ["LINKEDIN"] });

  // Unipile calls the app back, server to server, then sends the browser home.
  const callback = await page.request.post(String(link.notify_url), {
    data: { status: "CREATION_SUCCESS", account_id: `uni-lin-${unique}`, name: link.name },
  });
  expect(callback.status()).toBe(200);
  await page.goto(`/accounts?connected=${link.name}`);
  await expect(page.getByText("LinkedIn sign-in done.")).toBeVisible();
  // The new seat is in the list, at work.
  await expect(page.getByRole("button", { name: "Pause Lin's LinkedIn" })).toBeVisible();

  // Unipile reports the session lost: the seat asks to be reconnected.
  const workspace = await (await page.request.get("/api/workspace")).json();
  const webhookUrl = `/api/webhooks/unipile?workspace=${workspace.id}`;
  const delivery = accountStatusWebhook(`uni-lin-${unique}`, "CREDENTIALS");
  const refused = await page.request.post(webhookUrl, {
    headers: { "Unipile-Auth": "a-guess" },
    data: delivery,
  });
  expect(refused.status()).toBe(401);
  const accepted = await page.request.post(webhookUrl, {
    // The secret the app gives Unipile for its webhooks, as Unipile sends it.
    headers: { "Unipile-Auth": registeredSecret(workspace.id) },
    data: delivery,
  });
  expect(accepted.status()).toBe(200);
  const reconnect = page.getByRole("button", { name: "Reconnect Lin's LinkedIn" });
  await expect(async () => {
    await page.reload();
    await expect(reconnect).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await reconnect.click();
  await expect(page).toHaveURL(/^https:\/\/account\.unipile\.test\/hosted\//);
  expect(fake.hostedLinks.at(-1)).toMatchObject({
    type: "reconnect",
    reconnect_account: `uni-lin-${unique}`,
  });
});

/**
 * The header secret the app gives Unipile for this workspace's webhooks. The app registers it
 * with Unipile only when its address is public (here it is not, so the fake holds none): the
 * test derives it from the key playwright.config.ts gives the app server, as
 * server/unipile/crypto.ts does (HMAC-SHA256 of the purpose, base64url).
 */
function registeredSecret(workspaceId: string): string {
  const key = Buffer.from("b3V0Zmxvdy1lMmUtZW5jcnlwdGlvbi1rZXktMzJieXQ=", "base64");
  return createHmac("sha256", key)
    .update(`unipile-webhook|${workspaceId}`, "utf8")
    .digest("base64url");
}
