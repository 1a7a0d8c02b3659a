import { expect, test } from "@playwright/test";

const unique = Date.now().toString(36);
const password = "outreach-rocks-2026";

// The targets a `next` parameter must never lead to: each is a path by the look of it that a
// browser reads as another host.
const OFF_SITE = ["/%09/evil.example", "/%0a/evil.example", "//evil.example", "/%5C/evil.example"];

test("sign-up and sign-in never follow `next` off the site, and follow it on the site", async ({
  page,
  baseURL,
}) => {
  // Nothing may load from the other host, whatever happens.
  await page.route(
    (url) => url.hostname.endsWith("evil.example"),
    (route) => route.abort(),
  );
  const email = `rita-${unique}@example.com`;
  await page.goto(`/sign-up?next=${OFF_SITE[0]}`);
  await page.getByLabel("Your name").fill("Rita Redirect");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(`${baseURL}/campaigns`);

  for (const next of [...OFF_SITE.slice(1), OFF_SITE[0]]) {
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto(`/sign-in?next=${next}`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${baseURL}/campaigns`);
  }

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.goto(`/sign-in?next=${encodeURIComponent("/leads")}`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${baseURL}/leads`);
});

test("a cross-origin form post to a route is refused and changes nothing; pages carry a CSP", async ({
  page,
  baseURL,
}) => {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Cora Csrf");
  await page.getByLabel("Work email").fill(`cora-${unique}@example.com`);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/campaigns$/);

  const port = Number(new URL(baseURL ?? "").port) + 1;
  const forged = await page.request.post("/api/workspace/invitations", {
    headers: { "content-type": "text/plain", origin: `http://localhost:${port}` },
    data: JSON.stringify({ email: "evil@example.com", role: "admin" }),
  });
  expect(forged.status()).toBe(403);
  const invitations = await page.request.get("/api/workspace/invitations");
  expect((await invitations.json()).invitations).toEqual([]);

  const response = await page.goto("/campaigns");
  const policy = response?.headers()["content-security-policy"] ?? "";
  expect(policy).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  // The page's scripts ran under the policy: the app is interactive.
  await page.getByRole("link", { name: "Leads" }).click();
  await expect(page.getByRole("heading", { name: "Leads", level: 1 })).toBeVisible();
});

test("the API reference renders under the pages' CSP, from the app alone", async ({ page }) => {
  const refused: string[] = [];
  page.on("console", (message) => {
    // Redoc's footer asks its host for a logo: the policy refuses that image (nothing from another
    // host), and the footer hides it. A refused script would leave the page blank.
    if (message.type() === "error" && /violates .*"script-src/.test(message.text())) {
      refused.push(message.text());
    }
  });
  const response = await page.goto("/developers/api");
  expect(response?.headers()["content-security-policy"]).toMatch(/'strict-dynamic'/);
  await expect(page.getByRole("heading", { name: /^Outflow API/, level: 1 })).toBeVisible();
  await page.getByRole("menuitem", { name: "Keys" }).first().click();
  await expect(page.getByText("The key making the request").first()).toBeVisible();
  expect(refused).toEqual([]);
});
