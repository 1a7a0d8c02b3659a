import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";

// Everyday use: an editor with room at 1280 px, the checklist beside Publish, steps added
// clear of others, a 24:00 seat saved untouched, no Launch on drafts, campaign housekeeping,
// and no internal ids or template syntax on the demo's pages. Axe checks every page visited.

const unique = Date.now().toString(36);
const password = "outreach-rocks-2026";
let people = 0;

test.use({ viewport: { width: 1280, height: 800 } });

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

async function signUp(page: Page, name: string): Promise<string> {
  people += 1;
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Work email").fill(`everyday-${people}-${unique}@example.com`);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/campaigns$/);
  const created = await page.request.post("/api/accounts", {
    // A browser sends its page's Origin with every write; the API refuses writes without one.
    headers: { origin: new URL(page.url()).origin },
    data: {
      name: `${name}'s seat`,
      timeZone: "Europe/Paris",
      workingHours: { days: [1, 2, 3, 4, 5, 6, 7], start: "00:00", end: "24:00" },
    },
  });
  expect(created.status()).toBe(201);
  return (await created.json()).id as string;
}

async function createCampaign(
  page: Page,
  accountId: string,
  body: Record<string, unknown>,
): Promise<string> {
  const created = await page.request.post("/api/campaigns", {
    // A browser sends its page's Origin with every write; the API refuses writes without one.
    headers: { origin: new URL(page.url()).origin },
    data: { accountIds: [accountId], ...body },
  });
  expect(created.status()).toBe(201);
  return (await created.json()).id as string;
}

async function widthOf(page: Page, testId: string): Promise<number> {
  const box = await page.getByTestId(testId).boundingBox();
  if (!box) throw new Error(`${testId} is not on the page`);
  return box.width;
}

type Box = { x: number; y: number; width: number; height: number };
const intersects = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function cardBoxes(page: Page): Promise<Array<{ id: string; box: Box }>> {
  const cards = page.locator(".react-flow__node");
  const boxes: Array<{ id: string; box: Box }> = [];
  for (let index = 0; index < (await cards.count()); index += 1) {
    const card = cards.nth(index);
    const box = await card.boundingBox();
    if (box) boxes.push({ id: (await card.getAttribute("data-id")) ?? "", box });
  }
  return boxes;
}

test("the editor at 1280 px: navigation folded, panels collapse and stay so, the canvas gets 70 %", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const accountId = await signUp(page, "Wendy Wide");
  const id = await createCampaign(page, accountId, {
    name: "Roomy",
    templateId: "connect-then-inmail",
    draft: true,
  });
  await page.goto(`/campaigns/${id}/edit`);
  await expect(page.locator(".react-flow__node").first()).toBeVisible();
  // The app navigation is a rail of icons here, its links still named.
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Campaigns" })).toBeVisible();

  const open = await widthOf(page, "canvas");
  await page.getByRole("button", { name: "Collapse the palette" }).click();
  const paletteCollapsed = await widthOf(page, "canvas");
  // Steps can still be added from the narrow palette.
  await expect(
    page.getByRole("navigation", { name: "Steps" }).getByRole("button", { name: /^Visit\b/ }),
  ).toBeVisible();
  await page.getByRole("button", { name: "Collapse the step settings" }).click();
  const bothCollapsed = await widthOf(page, "canvas");
  console.log(
    `canvas width at 1280 px: ${open}px with both panels open, ${paletteCollapsed}px with the palette collapsed, ${bothCollapsed}px with both collapsed`,
  );
  expect(paletteCollapsed).toBeGreaterThanOrEqual(0.7 * 1280);
  expect(bothCollapsed).toBeGreaterThan(paletteCollapsed);
  await page.screenshot({ path: "test-results/everyday-editor-1280-collapsed.png" });

  // Remembered: a reload keeps both collapsed.
  await page.reload();
  await expect(page.getByRole("button", { name: "Show step names" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Show the step settings" })).toBeVisible();
  expect(await widthOf(page, "canvas")).toBe(bothCollapsed);
  await expectNoSeriousA11yViolations(page);

  // Open again for the next visitor of this browser.
  await page.getByRole("button", { name: "Show step names" }).click();
  await page.getByRole("button", { name: "Show the step settings" }).click();
  await page.screenshot({ path: "test-results/everyday-editor-1280-open.png" });
  expect(await widthOf(page, "canvas")).toBe(open);
});

test("Publish shows its blockers: the errors control opens the checklist, in full view", async ({
  page,
}) => {
  const accountId = await signUp(page, "Chuck Checklist");
  const id = await createCampaign(page, accountId, {
    name: "Unfinished",
    templateId: "blank",
    draft: true,
  });
  await page.goto(`/campaigns/${id}/edit`);
  await expect(page.getByRole("button", { name: "Publish", exact: true })).toBeDisabled();
  const toggle = page.getByRole("button", { name: /^\d+ errors?$/ });
  await expect(toggle).toBeVisible();
  await toggle.click();
  const checklist = page.locator("#editor-checklist");
  await expect(checklist.getByRole("heading", { name: "Checklist" })).toBeVisible();
  const firstError = checklist.getByRole("button", { name: /^Error/ }).first();
  await expect(firstError).toBeVisible();
  const box = await checklist.boundingBox();
  expect(box).not.toBeNull();
  // Never below the fold.
  expect(box!.y + box!.height).toBeLessThanOrEqual(800);
  await page.screenshot({ path: "test-results/everyday-checklist.png" });
  await expectNoSeriousA11yViolations(page);
});

test("a step added by a click lands clear of every other card, next to the selected one", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const accountId = await signUp(page, "Pia Placement");
  const id = await createCampaign(page, accountId, {
    name: "Crowded",
    templateId: "connect-then-inmail",
    draft: true,
  });
  await page.goto(`/campaigns/${id}/edit`);
  await expect(page.locator(".react-flow__node").first()).toBeVisible();
  const palette = page.getByRole("navigation", { name: "Steps" });
  for (const [anchor, kind] of [
    ["accepted", "Visit"],
    ["accepted", "Follow"],
    ["start", "Wait"],
  ] as const) {
    const card = page.locator(`.react-flow__node[data-id="${anchor}"]`);
    await card.click({ position: { x: 40, y: 14 } });
    await expect(card).toHaveClass(/selected/);
    await palette.getByRole("button", { name: new RegExp(`^${kind}\\b`) }).click();
    await expect(page.locator(".react-flow__node.selected")).toHaveCount(1);
    const added = await page.locator(".react-flow__node.selected").getAttribute("data-id");
    // Let the canvas measure the new card, then compare every pair on screen.
    await page.waitForTimeout(300);
    await page.getByRole("button", { name: "Fit view" }).click();
    await page.waitForTimeout(400);
    const boxes = await cardBoxes(page);
    const mine = boxes.find((entry) => entry.id === added)!;
    expect(mine, `the new ${kind} step is drawn`).toBeTruthy();
    for (const other of boxes) {
      if (other.id === added) continue;
      expect(intersects(mine.box, other.box), `${added} covers ${other.id}`).toBe(false);
    }
  }
  await page.screenshot({ path: "test-results/everyday-click-added.png" });
});

test("the seat working until 24:00 saves untouched", async ({ page }) => {
  const accountId = await signUp(page, "Mia Midnight");
  await page.goto(`/accounts/${accountId}`);
  await expect(page.getByLabel("Ends at")).toHaveValue("00:00");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved")).toBeVisible();
  const account = await (await page.request.get(`/api/accounts/${accountId}`)).json();
  expect(JSON.stringify(account)).toContain('"end":"24:00"');
  await expectNoSeriousA11yViolations(page);
});

test("drafts offer “Publish and launch”, never Launch; it shows the checklist when it cannot publish", async ({
  page,
}) => {
  const accountId = await signUp(page, "Dan Draft");
  const id = await createCampaign(page, accountId, {
    name: "Half drawn",
    templateId: "blank",
    draft: true,
  });
  await page.goto("/campaigns");
  const row = page.getByRole("row", { name: /Half drawn/ });
  await expect(row.getByRole("link", { name: "Publish and launch Half drawn" })).toBeVisible();
  await expect(page.getByRole("button", { name: /^Launch/ })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);

  await page.goto(`/campaigns/${id}`);
  await expect(page.getByRole("button", { name: /^Launch/ })).toHaveCount(0);
  await page.getByRole("link", { name: "Publish and launch" }).click();
  await expect(page).toHaveURL(new RegExp(`/campaigns/${id}/edit\\?launch=1$`));
  await expect(page.locator("#editor-checklist")).toBeVisible();
  await expect(page.getByRole("button", { name: "Publish and launch" })).toBeDisabled();
  // The import offers only campaigns that can take leads.
  await page.goto("/leads/import");
  await expect(page.getByRole("option", { name: /Half drawn/ })).toHaveCount(0);
});

test("rename, duplicate, archive and delete a draft", async ({ page }) => {
  test.setTimeout(120_000);
  const accountId = await signUp(page, "Hal Housekeeper");
  const id = await createCampaign(page, accountId, {
    name: "Spring outreach",
    templateId: "vip-inmail",
  });
  await page.goto(`/campaigns/${id}`);
  await page.getByRole("button", { name: "Rename" }).click();
  const rename = page.getByRole("dialog", { name: "Rename the campaign" });
  await rename.getByLabel("Name").fill("Summer outreach");
  await expectNoSeriousA11yViolations(page);
  await rename.getByRole("button", { name: "Rename" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Summer outreach" })).toBeVisible();

  await page.getByRole("button", { name: "Duplicate" }).click();
  const duplicate = page.getByRole("dialog", { name: "Duplicate the campaign" });
  await expect(duplicate.getByLabel("Name of the copy")).toHaveValue("Copy of Summer outreach");
  await duplicate.getByRole("button", { name: "Duplicate" }).click();
  await expect(
    page.getByRole("heading", { level: 1, name: "Copy of Summer outreach" }),
  ).toBeVisible();
  expect(page.url()).not.toContain(id);
  await expect(page.getByRole("main").getByText("Draft", { exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Publish and launch" })).toBeVisible();

  // The copy is a draft never published: it can be deleted.
  await page.getByRole("button", { name: "Delete draft" }).click();
  await page
    .getByRole("dialog", { name: /Delete the draft/ })
    .getByRole("button", { name: "Delete" })
    .click();
  await expect(page).toHaveURL(/\/campaigns$/);
  await expect(page.getByRole("link", { name: "Copy of Summer outreach" })).toHaveCount(0);

  await page.goto(`/campaigns/${id}`);
  await page.getByRole("button", { name: "Archive" }).click();
  await page
    .getByRole("dialog", { name: "Archive Summer outreach?" })
    .getByRole("button", { name: "Archive" })
    .click();
  await expect(page.getByText("Archived: it no longer runs.")).toBeVisible();
  await page.goto("/campaigns");
  await expect(page.getByRole("link", { name: "Summer outreach" })).toHaveCount(0);
  await page.getByRole("link", { name: "Show archived" }).click();
  await expect(page.getByRole("link", { name: "Summer outreach" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test("the demo's pages show no step ids and no template syntax", async ({ page }) => {
  test.setTimeout(180_000);
  await signUp(page, "Sam Scan");
  const demo = await page.request.post("/api/demo", {
    headers: { origin: new URL(page.url()).origin },
    data: { timeZone: "Europe/Paris" },
  });
  expect(demo.status()).toBe(201);
  const { campaignId } = await demo.json();
  const campaign = await (await page.request.get(`/api/campaigns/${campaignId}`)).json();
  // Ids that are not plain words ("replied-to-message", "end-not-sent"): none may show.
  const stepIds = (campaign.liveVersion.graph.nodes as Array<{ id: string }>)
    .map((node) => node.id)
    .filter((nodeId) => /[-_\d]/.test(nodeId));
  expect(stepIds.length).toBeGreaterThan(3);
  const leads = await (await page.request.get(`/api/campaigns/${campaignId}/leads?limit=1`)).json();
  const accounts = await (await page.request.get("/api/accounts")).json();

  const pages = [
    "/campaigns",
    `/campaigns/${campaignId}`,
    "/leads",
    `/leads/${leads.leads[0].leadId}`,
    "/accounts",
    `/accounts/${accounts.accounts[0].id}`,
    "/credits",
  ];
  for (const path of pages) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    // biome-ignore lint/performance/useDomNodeTextContent: the visible text is what is checked, not hidden nodes.
    const text = await page.locator("body").innerText();
    expect(text, `${path} shows template syntax`).not.toContain("{{");
    for (const stepId of stepIds) {
      expect(text.includes(stepId), `${path} shows the step id ${stepId}`).toBe(false);
    }
    // Nothing reaches past the page's content box (a wide child once pushed the campaign's
    // tiles and workflow past the right margin).
    const overflowing = await page.evaluate(() => {
      const main = document.querySelector("main");
      if (!main) return ["no main"];
      const right =
        main.getBoundingClientRect().right - Number.parseFloat(getComputedStyle(main).paddingRight);
      return [...main.querySelectorAll("dl, section, h1, h2")]
        .filter((element) => element.getBoundingClientRect().right > right + 1)
        .map((element) => element.textContent?.slice(0, 40) ?? element.tagName);
    });
    expect(overflowing, `${path} reaches past the right margin`).toEqual([]);
    await expectNoSeriousA11yViolations(page);
  }
});

test("100 leads: filtered by an imported column, added to a campaign, found at their step, exported, removed, blocklisted", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const accountId = await signUp(page, "Bea Bulk");
  const campaignName = `Bulk ${unique}`;
  const campaignId = await createCampaign(page, accountId, {
    name: campaignName,
    templateId: "connect-then-follow-up",
  });
  const tag = `fair-${unique}`;
  const imported = await page.request.post("/api/leads/import", {
    // A browser sends its page's Origin with every write; the API refuses writes without one.
    headers: { origin: new URL(page.url()).origin },
    data: {
      leads: [
        ...Array.from({ length: 100 }, (_, i) => ({
          publicIdentifier: `bulk-${unique}-${i}`,
          firstName: `Bulk ${i}`,
          lastName: "Lead",
          custom: { tag },
        })),
        { publicIdentifier: `other-${unique}`, firstName: "Not", lastName: "Tagged" },
      ],
    },
  });
  expect(imported.status()).toBe(200);

  // The list filtered by the imported column "tag".
  await page.goto("/leads");
  await page.getByLabel("Imported column").selectOption("tag");
  await page.getByLabel("Column contains").fill(tag);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("1–50 of 100")).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // Every match selected, added to the campaign.
  const selectAll = async () => {
    await page.getByLabel("Select every lead on this page").check();
    await page.getByRole("button", { name: "Select all 100 matching leads" }).click();
    await expect(page.getByText("100 leads selected")).toBeVisible();
  };
  await selectAll();
  await page.getByRole("button", { name: "Add to a campaign" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Campaign").selectOption({ label: campaignName });
  await expectNoSeriousA11yViolations(page);
  await page.screenshot({ path: "test-results/everyday-leads-add-dialog.png" });
  await dialog.getByRole("button", { name: "Add leads" }).click();
  await expect(page.getByText(`100 leads added to ${campaignName}.`)).toBeVisible();

  // A step's waiting count on the live graph opens the leads waiting there.
  await page.goto(`/campaigns/${campaignId}`);
  const waiting = page
    .getByTestId("live-graph")
    .getByRole("link", { name: /^[\d,]+ waiting at .+: see these leads$/ })
    .first();
  await expect(waiting).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: "test-results/everyday-campaign-page.png", fullPage: true });
  await waiting.click();
  await expect(page).toHaveURL(/\/leads\?campaign=.+&step=/);
  await expect(page.getByLabel("At step")).not.toHaveValue("");
  await expect(page.getByRole("navigation", { name: "Pages" })).toContainText(/of [\d,]+/);
  await expect(page.getByRole("link", { name: /^Bulk \d+ Lead$/ }).first()).toBeVisible();
  await page.screenshot({ path: "test-results/everyday-leads-at-step.png", fullPage: true });

  // Export, remove from the campaign, blocklist: the same 100.
  await page.goto(`/leads?field=tag&value=${tag}`);
  await selectAll();
  await page.screenshot({ path: "test-results/everyday-leads-selected.png" });
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const csv = await (await download).createReadStream();
  let text = "";
  for await (const chunk of csv) text += chunk;
  expect(text.trim().split(/\r?\n/)).toHaveLength(101);
  expect(text).toContain(`https://www.linkedin.com/in/bulk-${unique}-0/`);

  await page.getByRole("button", { name: "Remove from a campaign" }).click();
  await dialog.getByLabel("Campaign").selectOption({ label: campaignName });
  await dialog.getByRole("button", { name: "Remove leads" }).click();
  await expect(
    page.getByText(new RegExp(`^[\\d,]+ leads? taken out of ${campaignName}\\.$`)),
  ).toBeVisible();

  await selectAll();
  await page.getByRole("button", { name: "Blocklist" }).click();
  await dialog.getByLabel("Reason (optional)").fill("Met at the fair");
  await dialog.getByRole("button", { name: "Blocklist" }).click();
  await expect(page.getByText(/^100 leads added to the blocklist · /)).toBeVisible();
  await page.goto(`/leads?field=tag&value=${tag}&status=blocklisted`);
  await expect(page.getByText("1–50 of 100")).toBeVisible();
});
