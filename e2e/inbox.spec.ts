import { expect, type Page, test } from "@playwright/test";
import { acceleratedServer } from "./accelerated-server";

// The inbox is watched on an accelerated clock (two virtual hours a second) on a server of its
// own, as in dashboard.spec.ts: the demo's invitations are accepted within virtual days, its
// thanks messages go out, and the sandbox's leads reply within minutes of real time.
const server = acceleratedServer("inbox", 60, 7200);
const BASE_URL = server.baseUrl;
const PASSWORD = "outreach-rocks-2026";
const CATEGORY = /Interested|Not interested|Out of office|Referral|Asked to stop|Other/;

test.describe.configure({ mode: "serial" });
test.use({ baseURL: BASE_URL });

test.beforeAll(async () => {
  test.setTimeout(150_000);
  await server.start({ OUTFLOW_DISABLE_RATE_LIMIT: "1" });
});

test.afterAll(() => server.stop());

async function signUp(page: Page, name: string, email: string) {
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
}

interface ThreadMessage {
  origin: string;
  text: string;
  status: string;
}

test("the demo's replies reach the inbox; an answer goes out once, stops the lead and is handed to a teammate", async ({
  page,
  browser,
}) => {
  test.setTimeout(600_000);
  const unique = Date.now().toString(36);
  await page.goto("/sign-up");
  await signUp(page, "Iris Inbox", `iris-${unique}@example.com`);
  await expect(page).toHaveURL(/\/campaigns$/);
  await page.getByRole("button", { name: "Load demo" }).click();
  await expect(page).toHaveURL(/\/campaigns\/[\w-]+$/, { timeout: 30_000 });
  // The demo seat keeps office hours, Monday to Friday: started on a Friday afternoon, its
  // replies would wait for a virtual weekend to pass. Every day, all day, whatever the day the
  // test runs on — as a user would set it on the account page.
  const origin = new URL(page.url()).origin;
  const { accounts } = await (await page.request.get("/api/accounts")).json();
  const seat = await (await page.request.get(`/api/accounts/${accounts[0].id}`)).json();
  const saved = await page.request.put(`/api/accounts/${accounts[0].id}/settings`, {
    headers: { origin },
    data: {
      timeZone: seat.settings.timeZone,
      workingHours: { days: [1, 2, 3, 4, 5, 6, 7], start: "00:00", end: "24:00" },
      caps: seat.settings.caps,
      warmup: seat.settings.warmup,
      safety: seat.settings.safety,
    },
  });
  expect(saved.status()).toBe(200);

  // A teammate joins the workspace by invitation.
  await page.getByRole("link", { name: "Workspace" }).click();
  await page.getByLabel("Email").fill(`tess-${unique}@example.com`);
  await page.getByRole("button", { name: "Create invitation" }).click();
  const link = await page.getByLabel("Invitation link").first().inputValue();
  const other = await browser.newContext();
  const tess = await other.newPage();
  await tess.goto(link.replace(/^https?:\/\/[^/]+/, BASE_URL));
  await tess.getByRole("link", { name: "Create an account" }).click();
  await signUp(tess, "Tess Teammate", `tess-${unique}@example.com`);
  await expect(tess).toHaveURL(/\/invite\//);
  await tess.getByRole("button", { name: "Accept and join" }).click();
  await expect(tess).toHaveURL(/\/campaigns$/);

  // Replies arrive: the inbox lists them with their text and category, the navigation counts them.
  await page.getByRole("link", { name: /Inbox/ }).click();
  await expect(page).toHaveURL(/\/inbox$/);
  const conversations = page.getByRole("list", { name: "Conversations" }).getByRole("listitem");
  await expect(conversations.first()).toBeVisible({ timeout: 300_000 });
  await expect(conversations.first()).toContainText(CATEGORY);
  await expect(page.getByRole("link", { name: /Inbox/ })).toContainText(/\d+\s*unread/);

  // Answer one (a lead the seat is connected to: a failure names its reason, then the next).
  // Replies keep arriving on the accelerated clock: threads that cannot be answered (a person
  // who asked to stop, a lead the seat is not connected to) are skipped, newer ones tried.
  let answered: { id: string; text: string } | null = null;
  const tried = new Set<string>();
  const giveUpAt = Date.now() + 240_000;
  while (!answered && Date.now() < giveUpAt) {
    // Each thread by its first line (the lead's name).
    const names = (await conversations.getByRole("button").allInnerTexts()).map((label) =>
      label.split("\n")[0]!.trim(),
    );
    const untried = names.filter((name) => name !== "" && !tried.has(name));
    if (untried.length === 0) {
      await page.waitForTimeout(2_000);
      continue;
    }
    const name = untried[0]!;
    tried.add(name);
    await conversations.getByRole("button").filter({ hasText: name }).first().click();
    const thread = page.getByRole("list", { name: "Messages" });
    await expect(thread.getByText(CATEGORY).first()).toBeVisible();
    await expect(thread.getByText(/Sent automatically/).first()).toBeVisible();
    // A person who asked to stop is on the blocklist: the box is closed and says why.
    const box = page.getByLabel("Answer", { exact: true });
    if (await box.isDisabled()) continue;
    const text = `Thanks for your reply! Shall we talk on Tuesday? (${unique}-${tried.size})`;
    await box.fill(text);
    await page.getByRole("button", { name: "Send answer" }).click();
    const status = page.getByRole("status").filter({ hasText: /^(Sent|Not sent.*)$/ });
    await expect(status).toBeVisible({ timeout: 30_000 });
    if ((await status.textContent()) === "Sent") {
      const listed = await page.request.get(`${origin}/api/inbox?includeDone=true&limit=100`);
      const items = (await listed.json()).items as Array<{ id: string; preview: string }>;
      // The preview may be cut short: the thread whose preview starts this answer.
      const found = items.find(
        (candidate) =>
          candidate.preview.startsWith("Thanks for your reply!") &&
          text.startsWith(candidate.preview.replace(/…$/, "")),
      );
      if (found) answered = { id: found.id, text };
    }
  }
  expect(answered).not.toBeNull();
  const { id, text } = answered as { id: string; text: string };

  // Once: the thread holds the answer once, sent; a retry of a key never sends again.
  const readThread = async () =>
    (await (await page.request.get(`${origin}/api/inbox/${id}`)).json()) as {
      messages: ThreadMessage[];
      enrollments: Array<{ state: string; outcome: string | null; reason: string | null }>;
    };
  const mine = (await readThread()).messages.filter((m) => m.text === text);
  expect(mine).toEqual([expect.objectContaining({ origin: "person", status: "sent" })]);
  const retry = { text: `Once only (${unique})`, idempotencyKey: `e2e-${unique}-once` };
  const headers = { origin };
  const [first, second] = await Promise.all([
    page.request.post(`${origin}/api/inbox/${id}/answer`, { data: retry, headers }),
    page.request.post(`${origin}/api/inbox/${id}/answer`, { data: retry, headers }),
  ]);
  expect(first.status()).toBe(200);
  expect(second.status()).toBe(200);
  const bodies = [await first.json(), await second.json()];
  expect(bodies[0].id).toBe(bodies[1].id);
  expect(bodies.filter((b) => b.created)).toHaveLength(1);
  expect((await readThread()).messages.filter((m) => m.text === retry.text)).toHaveLength(1);

  // The person has taken over: the lead's automated steps on this seat have stopped.
  const { enrollments } = await readThread();
  expect(enrollments.length).toBeGreaterThan(0);
  for (const enrollment of enrollments) {
    expect(enrollment.state).not.toBe("active");
  }
  // A sequence still running when the answer went out ends as taken over; one the reply had
  // already stopped keeps its outcome.
  for (const enrollment of enrollments) {
    expect(["taken_over", "replied", "unsubscribed"]).toContain(enrollment.outcome);
  }

  // Handed to the teammate, who finds it under "Assigned to me".
  await page.getByLabel("Assigned to", { exact: true }).selectOption({ label: "Tess Teammate" });
  await expect(page.getByLabel("Assigned to", { exact: true })).toHaveValue(/.+/);
  await tess.goto(`${BASE_URL}/inbox`);
  await tess.getByLabel("Assigned to me").check();
  await tess.getByLabel("Show done").check();
  const tessList = tess.getByRole("list", { name: "Conversations" }).getByRole("listitem");
  await expect(tessList).toHaveCount(1);
  await expect(tessList.first()).toContainText("You");
  await other.close();
});
