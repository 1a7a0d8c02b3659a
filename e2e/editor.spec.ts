import AxeBuilder from "@axe-core/playwright";
import { expect, type Locator, type Page, test } from "@playwright/test";

const unique = Date.now().toString(36);
const password = "outreach-rocks-2026";
let people = 0;

test.use({ viewport: { width: 1680, height: 1050 } });

/** Signs a new user up and gives them a sandbox sender account. */
async function signUpWithAccount(page: Page, name: string, account: Record<string, unknown> = {}) {
  people += 1;
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Work email").fill(`editor-${people}-${unique}@example.com`);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/campaigns$/);
  const created = await page.request.post("/api/accounts", {
    // A browser sends its page's Origin with every write; the API refuses writes without one.
    headers: { origin: new URL(page.url()).origin },
    data: { name: `${name}'s seat`, timeZone: "Europe/Paris", ...account },
  });
  expect(created.status()).toBe(201);
  await page.goto("/campaigns");
}

/** A blank draft campaign, created through the API; answers its editor's address. */
async function blankDraft(page: Page, name: string): Promise<string> {
  const accounts = await (await page.request.get("/api/accounts")).json();
  const created = await page.request.post("/api/campaigns", {
    // A browser sends its page's Origin with every write; the API refuses writes without one.
    headers: { origin: new URL(page.url()).origin },
    data: { name, templateId: "blank", draft: true, accountIds: [accounts.accounts[0].id] },
  });
  expect(created.status()).toBe(201);
  return `/campaigns/${(await created.json()).id}/edit`;
}

const nodeById = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

async function canvasBox(page: Page) {
  const box = await page.getByTestId("canvas").boundingBox();
  if (!box) throw new Error("the canvas is not on the page");
  return box;
}

/** Drags a kind from the palette to a point of the canvas (fractions of its size). */
async function dragFromPalette(page: Page, label: string, at: { x: number; y: number }) {
  const box = await canvasBox(page);
  const item = page
    .getByRole("navigation", { name: "Steps" })
    .getByRole("button", { name: new RegExp(`^${label}\\b`) });
  await item.hover();
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * at.x, box.y + box.height * at.y, { steps: 12 });
  await page.mouse.up();
  const added = page.locator(".react-flow__node.selected");
  await expect(added).toHaveCount(1);
  const id = await added.getAttribute("data-id");
  if (!id) throw new Error(`no ${label} step was added`);
  return id;
}

async function mouseDrag(page: Page, from: Locator, to: Locator) {
  const start = await from.boundingBox();
  const end = await to.boundingBox();
  if (!start || !end) throw new Error("cannot drag between elements that are not visible");
  await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2);
  await page.mouse.down();
  await page.mouse.move(end.x + end.width / 2, end.y + end.height / 2, { steps: 12 });
  await page.mouse.up();
}

/** Connects an exit handle of one card to the entry handle of another, with the mouse. */
async function connect(page: Page, source: string, exit: string, target: string) {
  const before = await page.locator(".react-flow__edge").count();
  await mouseDrag(
    page,
    nodeById(page, source).locator(`.react-flow__handle.source[data-handleid="${exit}"]`),
    nodeById(page, target).locator(".react-flow__handle.target"),
  );
  await expect(page.locator(".react-flow__edge")).toHaveCount(before + 1);
}

/** Selects a card by clicking its title area (not an exit label). */
async function select(page: Page, id: string) {
  await nodeById(page, id).click({ position: { x: 40, y: 14 } });
  await expect(nodeById(page, id)).toHaveClass(/selected/);
}

async function expectNoSeriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({
      id: violation.id,
      help: violation.help,
      targets: violation.nodes.slice(0, 3).map((node) => node.target.join(" ")),
    }));
  expect(serious).toEqual([]);
}

const saveStatus = (page: Page) => page.locator("[data-save-status]");

test("build “Connect first, InMail those who don't accept” by drag and drop, configure, save and publish", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signUpWithAccount(page, "Erin Editor");

  // A blank campaign from the new-campaign form opens in the editor.
  await page.getByLabel("Name", { exact: true }).fill("Connect first");
  await page.getByLabel("Starter template").selectOption({ label: "Blank canvas" });
  await page.getByRole("button", { name: "Create draft and edit" }).click();
  await expect(page).toHaveURL(/\/campaigns\/[\w-]+\/edit$/, { timeout: 30_000 });
  await expect(page.getByText("Not published yet")).toBeVisible();
  await expect(page.locator(".react-flow__node")).toHaveCount(1);

  // Room for ten cards: zoom out and take the start to the top.
  for (let i = 0; i < 3; i += 1) await page.locator(".react-flow__controls-zoomout").click();
  const box = await canvasBox(page);
  const start = nodeById(page, "start");
  const startBox = (await start.boundingBox())!;
  await page.mouse.move(startBox.x + 30, startBox.y + 12);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5 - startBox.width / 2 + 30, box.y + 30, {
    steps: 10,
  });
  await page.mouse.up();

  const invite = await dragFromPalette(page, "Connect", { x: 0.5, y: 0.17 });
  const accepted = await dragFromPalette(page, "If accepted", { x: 0.5, y: 0.3 });
  const thanks = await dragFromPalette(page, "Message", { x: 0.25, y: 0.44 });
  const inmail = await dragFromPalette(page, "InMail", { x: 0.72, y: 0.44 });
  const repliedToThanks = await dragFromPalette(page, "If replied", { x: 0.25, y: 0.58 });
  const repliedToInMail = await dragFromPalette(page, "If replied", { x: 0.6, y: 0.58 });
  const notSent = await dragFromPalette(page, "End", { x: 0.88, y: 0.58 });
  const replied = await dragFromPalette(page, "End", { x: 0.3, y: 0.75 });
  const noAnswer = await dragFromPalette(page, "End", { x: 0.65, y: 0.75 });
  await expect(page.locator(".react-flow__node")).toHaveCount(10);

  await connect(page, "start", "next", invite);
  await connect(page, invite, "next", accepted);
  await connect(page, accepted, "yes", thanks);
  await connect(page, accepted, "no", inmail);
  await connect(page, thanks, "next", repliedToThanks);
  await connect(page, inmail, "sent", repliedToInMail);
  await connect(page, inmail, "not_sent", notSent);
  await connect(page, repliedToThanks, "yes", replied);
  await connect(page, repliedToThanks, "no", noAnswer);
  await connect(page, repliedToInMail, "yes", replied);
  await connect(page, repliedToInMail, "no", noAnswer);

  // A step cannot lead to itself: that connection is refused.
  await mouseDrag(
    page,
    nodeById(page, inmail).locator('.react-flow__handle.source[data-handleid="sent"]'),
    nodeById(page, inmail).locator(".react-flow__handle.target"),
  );
  await expect(page.locator(".react-flow__edge")).toHaveCount(11);

  // The invitation note: 320 characters is over LinkedIn's 300, and says so.
  await select(page, invite);
  await page.getByRole("button", { name: "Add a note" }).click();
  const note = page.getByRole("textbox", { name: "Invitation note" });
  await note.fill(
    "Hi there, I'd love to connect and compare notes on outreach. ".repeat(6).slice(0, 320),
  );
  await expect(nodeById(page, invite).getByText("1 error")).toBeVisible();
  // The checklist opens from the control beside Publish.
  const checklistToggle = page.locator('[aria-controls="editor-checklist"]');
  await checklistToggle.click();
  await expect(
    page.getByRole("button", {
      name: "Error · Connect: Note is 320 characters; LinkedIn allows 300.",
    }),
  ).toBeVisible();
  await checklistToggle.click();
  await expect(page.getByRole("button", { name: "Publish" })).toBeDisabled();
  const shortNote =
    "Hi {{firstName|there}}, I'm reaching out to a few people in {{title|your role}} roles. Happy to connect?";
  await note.fill(shortNote);
  await expect(nodeById(page, invite).getByText("1 error")).toHaveCount(0);
  // The live preview, for the built-in sample lead.
  await expect(
    page.getByText(
      "Hi Ada, I'm reaching out to a few people in Head of Research roles. Happy to connect?",
    ),
  ).toBeVisible();
  await expect(nodeById(page, invite)).toContainText("Connect · note");

  await select(page, replied);
  await page.getByLabel("Outcome").fill("replied");
  await select(page, notSent);
  await page.getByLabel("Outcome").fill("InMail not sent");
  await expect(nodeById(page, notSent)).toContainText("End · InMail not sent");
  await checklistToggle.click();
  await expect(page.getByText("No problems found: ready to publish.")).toBeVisible();
  await checklistToggle.click();

  // Undo and redo the last change, with the keyboard shortcuts (outside any field).
  await page.locator(".react-flow__pane").click({ position: { x: 10, y: box.height - 10 } });
  await page.keyboard.press("Control+z");
  await expect(nodeById(page, notSent)).toContainText("End · no answer");
  await page.keyboard.press("Control+Shift+z");
  await expect(nodeById(page, notSent)).toContainText("End · InMail not sent");

  // Box select (Shift + drag) two ends, duplicate them, and undo that.
  const from = (await nodeById(page, replied).boundingBox())!;
  const to = (await nodeById(page, noAnswer).boundingBox())!;
  await page.keyboard.down("Shift");
  await page.mouse.move(from.x - 15, from.y - 15);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width + 15, to.y + to.height + 15, { steps: 10 });
  await page.mouse.up();
  await page.keyboard.up("Shift");
  await expect(page.locator(".react-flow__node.selected")).toHaveCount(2);
  await expect(page.getByRole("heading", { name: "2 steps selected" })).toBeVisible();
  await page.keyboard.press("Control+d");
  await expect(page.locator(".react-flow__node")).toHaveCount(12);
  await page.keyboard.press("Control+z");
  await expect(page.locator(".react-flow__node")).toHaveCount(10);

  // Everything is saved: a reload finds it.
  await expect(saveStatus(page)).toHaveText("All changes saved");
  await expect(page.getByText("Unpublished changes")).toBeVisible();
  await page.reload();
  await expect(page.locator(".react-flow__node")).toHaveCount(10);
  await expect(page.locator(".react-flow__edge")).toHaveCount(11);
  await select(page, invite);
  await expect(page.getByRole("textbox", { name: "Invitation note" })).toHaveValue(shortNote);
  await expect(nodeById(page, inmail)).toContainText("InMail · 'Quick question, there'");

  await expectNoSeriousA11yViolations(page);

  // Auto-layout: one undo step, the "Accepted" branch left of "Not accepted".
  const left = async (id: string) => (await nodeById(page, id).boundingBox())!.x;
  await page.getByRole("button", { name: "Auto-layout" }).click();
  await expect(page.getByRole("button", { name: "Auto-layout" })).toBeEnabled();
  await expect.poll(async () => (await left(thanks)) < (await left(inmail))).toBe(true);
  expect(await left(repliedToInMail)).toBeLessThan(await left(notSent));
  await expect(saveStatus(page)).toHaveText("All changes saved");

  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByText("Live: v1")).toBeVisible();
  await expect(page.getByText("Unpublished changes")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Publish" })).toBeDisabled();
});

test("two tabs on one draft: the second save is refused and the page offers to reload", async ({
  page,
  context,
}) => {
  await signUpWithAccount(page, "Tess Tabs");
  const editor = await blankDraft(page, "Two tabs");
  await page.goto(editor);
  const second = await context.newPage();
  await second.goto(editor);
  await expect(second.locator(".react-flow__node")).toHaveCount(1);

  // The first tab adds a step and saves it.
  await page.getByRole("button", { name: /^Visit profile/ }).click();
  await expect(page.locator(".react-flow__node")).toHaveCount(2);
  await expect(saveStatus(page)).toHaveText("All changes saved");

  // The second tab still starts from the old draft: its save is refused.
  await second.getByRole("button", { name: /^Follow/ }).click();
  await expect(saveStatus(second)).toHaveText("Not saved: changed elsewhere");
  await expect(second.getByText(/changed in another tab or by someone else/)).toBeVisible();
  await expect(second.getByRole("button", { name: "Publish" })).toBeDisabled();
  await second.getByRole("button", { name: "Reload the latest version" }).click();
  await expect(second.locator(".react-flow__node")).toHaveCount(2);
  await expect(second.locator(".react-flow__node").nth(1)).toContainText("Visit profile");
  await expect(saveStatus(second)).toHaveText("All changes saved");
});

test("keyboard only: add a step and change its settings", async ({ page }) => {
  await signUpWithAccount(page, "Kim Keys");
  await page.goto(await blankDraft(page, "Keyboard"));
  await expect(page.locator(".react-flow__node")).toHaveCount(1);

  // Tab to the palette's Wait, and add it with Enter: it follows the start.
  let focusedKind: string | null = null;
  for (let presses = 0; presses < 60 && focusedKind !== "wait"; presses += 1) {
    await page.keyboard.press("Tab");
    focusedKind = await page.evaluate(
      () => document.activeElement?.getAttribute("data-kind") ?? null,
    );
  }
  expect(focusedKind).toBe("wait");
  await page.keyboard.press("Enter");
  await expect(page.locator(".react-flow__node")).toHaveCount(2);
  await expect(page.locator(".react-flow__edge")).toHaveCount(1);

  // Focus is on the new step's first setting.
  await expect(page.getByLabel("Duration")).toBeFocused();
  await page.keyboard.press("Control+a");
  await page.keyboard.type("3");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Unit")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByLabel(/Count working days only/)).toBeFocused();
  await page.keyboard.press("Space");
  const card = page.locator(".react-flow__node.selected");
  await expect(card).toContainText("Wait 3 working days");

  // Shortcuts are ignored in a field: Ctrl+Z in Duration is the field's own, and does not undo
  // the canvas's last step (ticking "working days").
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Shift+Tab");
  await expect(page.getByLabel("Duration")).toBeFocused();
  await page.keyboard.press("Control+z");
  await expect(page.getByLabel(/Count working days only/)).toBeChecked();
  await expect(page.locator(".react-flow__node")).toHaveCount(2);

  await expect(saveStatus(page)).toHaveText("All changes saved");
  await expectNoSeriousA11yViolations(page);
});

test("publishing with leads in flight shows where they go, and asks about leads whose step is gone", async ({
  page,
}) => {
  // Working hours that are over for today: the engine moves leads to Connect, where they wait.
  const hour = new Date().getUTCHours();
  const closed = hour >= 2 ? { start: "00:00", end: "01:00" } : { start: "12:00", end: "13:00" };
  await signUpWithAccount(page, "Petra Publish", {
    timeZone: "UTC",
    workingHours: { days: [1, 2, 3, 4, 5, 6, 7], ...closed },
  });
  const accounts = await (await page.request.get("/api/accounts")).json();
  const created = await page.request.post("/api/campaigns", {
    // A browser sends its page's Origin with every write; the API refuses writes without one.
    headers: { origin: new URL(page.url()).origin },
    data: {
      name: "In flight",
      templateId: "connect-then-inmail",
      accountIds: [accounts.accounts[0].id],
    },
  });
  expect(created.status()).toBe(201);
  const campaignId = (await created.json()).id as string;
  const added = await page.request.post(`/api/campaigns/${campaignId}/leads`, {
    // A browser sends its page's Origin with every write; the API refuses writes without one.
    headers: { origin: new URL(page.url()).origin },
    data: { leads: [{ publicIdentifier: "lead-one" }, { publicIdentifier: "lead-two" }] },
  });
  expect(added.status()).toBe(200);
  const waitingAt = async (nodeId: string) => {
    const detail = await (await page.request.get(`/api/campaigns/${campaignId}`)).json();
    return detail.nodes.find((node: { nodeId: string }) => node.nodeId === nodeId)?.waiting ?? 0;
  };
  await expect.poll(() => waitingAt("connect"), { timeout: 30_000 }).toBe(2);

  // Replace the Connect step with a new one: its leads are stranded.
  await page.goto(`/campaigns/${campaignId}/edit`);
  await expect(page.getByText("Live: v1")).toBeVisible();
  await select(page, "connect");
  await page.keyboard.press("Delete");
  await expect(page.locator(".react-flow__node")).toHaveCount(9);
  await select(page, "start");
  await page.getByRole("button", { name: /^Connect\b/ }).click();
  await expect(page.locator(".react-flow__node")).toHaveCount(10);
  const replacement = await page.locator(".react-flow__node.selected").getAttribute("data-id");
  const checklistToggle = page.locator('[aria-controls="editor-checklist"]');
  await checklistToggle.click();
  await expect(page.getByText("No problems found: ready to publish.")).toBeVisible();
  await checklistToggle.click();
  await expect(saveStatus(page)).toHaveText("All changes saved");

  await page.getByRole("button", { name: "Publish" }).click();
  const dialog = page.getByRole("dialog", { name: "Publish version 2" });
  await expect(dialog).toBeVisible();
  await expect(
    dialog.getByText("2 leads are in this campaign right now.", { exact: false }),
  ).toBeVisible();
  const stranded = dialog.getByRole("group", {
    name: /2 leads at Connect · note .*: this step is not in the new version/,
  });
  await expect(stranded).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Publish version 2" })).toBeDisabled();
  await stranded.getByLabel("Move them to").check();
  await stranded.getByRole("combobox").selectOption(replacement!);
  await expectNoSeriousA11yViolations(page);
  await dialog.getByRole("button", { name: "Publish version 2" }).click();
  await expect(page.getByText("Live: v2")).toBeVisible();
  await expect(page.getByText(/0 leads stayed where they were, 2 moved, 0 ended/)).toBeVisible();
  expect(await waitingAt(replacement!)).toBe(2);
});
