import path from "node:path";
import { expect, type Page, test } from "@playwright/test";

const unique = Date.now().toString(36);
const password = "outreach-rocks-2026";
const SAMPLE = path.resolve(import.meta.dirname, "../test/fixtures/leads-sample.csv");

// Markup and script in the fields of one row: they must show as the text they are.
const XSS_FIRST = '<script>window.__xss = "first name"</script>';
const XSS_LAST = "<img src=x onerror=\"window.__xss = 'last name'\">";
const XSS_COMPANY = "<b>Bold &amp; Co</b>";

/** A European export: byte-order mark, semicolons, quoted fields, CRLF, and a few bad rows. */
const csv = (suffix: string) =>
  `\uFEFF${[
    "Prénom;Nom;Société;Poste;Profil LinkedIn;Ville",
    `Ada;Lovelace;"Analytical; Engines";CEO;https://www.linkedin.com/in/ada-lovelace-${suffix}/?trk=public_profile;London`,
    `Grace;Hopper;US Navy;"Rear ""Amazing"" Admiral";linkedin.com/in/grace-hopper-${suffix};Arlington`,
    `Chloé;García;Helix Bio;CRO;https://fr.linkedin.com/in/chlo%C3%A9-garc%C3%ADa-${suffix};São Paulo`,
    `"${XSS_FIRST.replaceAll('"', '""')}";"${XSS_LAST.replaceAll('"', '""')}";"${XSS_COMPANY}";Title;https://www.linkedin.com/in/mallory-${suffix};Paris`,
    "Missing;Url;Nowhere Ltd;CEO;;Paris",
    "Company;Page;Acme;-;https://www.linkedin.com/company/acme-robotics/;Paris",
    "Sales;Nav;Acme;-;https://www.linkedin.com/sales/lead/ACwAAA123,NAME_SEARCH,xyz;Paris",
    `Ada;Lovelace;;;linkedin.com/in/Ada-Lovelace-${suffix.toUpperCase()};London`,
  ].join("\r\n")}\r\n`;

async function statValue(page: Page, label: string) {
  return page.getByLabel("Import summary").locator("div", { hasText: label }).locator("dd");
}

async function noScriptRan(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBe(
    undefined,
  );
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
}

test("import a CSV with bad rows into a campaign, open a lead's timeline; markup stays text", async ({
  page,
}) => {
  const dialogs: string[] = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });

  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Lena Leads");
  await page.getByLabel("Work email").fill(`lena-${unique}@example.com`);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/campaigns$/);

  // A sender account and a running campaign to import into.
  const account = await page.request.post("/api/accounts", {
    // A browser sends its page's Origin with every write; the API refuses writes without one.
    headers: { origin: new URL(page.url()).origin },
    data: { name: "Lena's seat", timeZone: "Europe/Paris" },
  });
  expect(account.status()).toBe(201);
  const campaignName = `Founders ${unique}`;
  const created = await page.request.post("/api/campaigns", {
    // A browser sends its page's Origin with every write; the API refuses writes without one.
    headers: { origin: new URL(page.url()).origin },
    data: {
      name: campaignName,
      templateId: "connect-then-follow-up",
      accountIds: [(await account.json()).id],
    },
  });
  expect(created.status()).toBe(201);
  const campaignId = (await created.json()).id as string;

  // From the campaign page to the import, the campaign chosen already.
  await page.goto(`/campaigns/${campaignId}`);
  await page.getByRole("link", { name: "Import a CSV" }).click();
  await expect(page).toHaveURL(new RegExp(`/leads/import\\?campaign=${campaignId}$`));
  await page.getByLabel("CSV file").setInputFiles({
    name: "founders.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(csv(unique), "utf8"),
  });

  // The columns, guessed from French headers, and the separator read from the file.
  await expect(page.getByText("founders.csv: 6 columns, semicolon separated.")).toBeVisible();
  await expect(page.getByLabel("Import column “Profil LinkedIn” as")).toHaveValue("profile");
  await expect(page.getByLabel("Import column “Prénom” as")).toHaveValue("firstName");
  await expect(page.getByLabel("Import column “Société” as")).toHaveValue("company");
  await expect(page.getByLabel("Custom field name for “Ville”")).toHaveValue("ville");

  await expect(await statValue(page, "Rows in the file")).toHaveText("8");
  await expect(await statValue(page, "Leads to import")).toHaveText("4");
  await expect(await statValue(page, "Duplicates merged")).toHaveText("1");
  await expect(await statValue(page, "Rows not imported")).toHaveText("3");

  // Every refused row, with why.
  const rejected = page.getByRole("region", { name: /Rows not imported/ });
  await expect(
    rejected.getByRole("row", { name: /^6 .*No LinkedIn profile address\./ }),
  ).toBeVisible();
  await expect(rejected.getByRole("row", { name: /^7 .*is a company page/ })).toBeVisible();
  await expect(rejected.getByRole("row", { name: /^8 .*is a Sales Navigator link/ })).toBeVisible();
  await expect(page.getByText("Row 9 merged into row 2")).toBeVisible();

  // The preview: quoted values whole, accents decoded, markup as text.
  const preview = page.getByRole("region", { name: /Preview/ });
  await expect(preview.getByRole("cell", { name: "Analytical; Engines" })).toBeVisible();
  await expect(preview.getByRole("cell", { name: 'Rear "Amazing" Admiral' })).toBeVisible();
  await expect(preview.getByRole("cell", { name: `chloé-garcía-${unique}` })).toBeVisible();
  await expect(preview.getByText(XSS_FIRST, { exact: true })).toBeVisible();
  await expect(preview.getByText(XSS_LAST, { exact: true })).toBeVisible();
  await noScriptRan(page);

  await expect(page.getByLabel("Enroll in a campaign")).toHaveValue(campaignId);
  await page.getByRole("button", { name: `Import 4 leads into “${campaignName}”` }).click();
  await expect(
    page.getByText("4 leads imported: 4 new, 0 already in the workspace."),
  ).toBeVisible();
  await expect(page.getByText(`4 enrolled in “${campaignName}”.`)).toBeVisible();

  // The list: search finds the lead whose name is markup, shown as text.
  await page.getByRole("link", { name: "See the leads" }).click();
  await expect(page).toHaveURL(/\/leads$/);
  await page.getByLabel("Search").fill(`mallory-${unique}`);
  await page.getByRole("button", { name: "Apply" }).click();
  const name = `${XSS_FIRST} ${XSS_LAST}`;
  const row = page.getByRole("row", { name: new RegExp(`mallory-${unique}`) });
  await expect(row.getByRole("link", { name })).toBeVisible();
  // Rendered as markup, the cell would read "Bold & Co" without its tags.
  await expect(row).toContainText(XSS_COMPANY);
  await expect(row.getByText(`${campaignName} · in progress`)).toBeVisible();
  await noScriptRan(page);

  // The lead's page and timeline.
  await row.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByText(XSS_COMPANY, { exact: true }).first()).toBeVisible();
  const timeline = page.getByRole("list", { name: "Timeline" });
  const enrolled = timeline.getByRole("listitem").filter({ hasText: /^Enrolled/ });
  await expect(enrolled.getByRole("link", { name: campaignName })).toBeVisible();
  await expect(enrolled.getByText("version 1, sends from Lena's seat")).toBeVisible();
  await expect(page.getByRole("link", { name: `mallory-${unique}` })).toHaveAttribute(
    "href",
    `https://www.linkedin.com/in/mallory-${unique}/`,
  );
  await noScriptRan(page);
  expect(dialogs).toEqual([]);

  // The blocklist, from a pasted list: the valid line is taken, the other one explained.
  await page.goto("/leads/blocklist");
  await page
    .getByLabel("Profiles, one per line")
    .fill(`https://www.linkedin.com/in/grace-hopper-${unique}/\nnot a profile`);
  await page.getByLabel("Reason (optional)").fill("Customer");
  await page.getByRole("button", { name: "Add to blocklist" }).click();
  await expect(
    page.getByText("1 added to the blocklist · 1 campaign enrollment stopped."),
  ).toBeVisible();
  await expect(page.getByText(/^Line 2: "not a profile" is not a public identifier/)).toBeVisible();
  await expect(
    page.getByRole("row", { name: new RegExp(`grace-hopper-${unique}.*Grace Hopper.*Customer`) }),
  ).toBeVisible();
});

test("a cancelled import keeps nothing; the sample export: 1,003 rows read, 1,000 leads imported", async ({
  page,
}) => {
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Sam Sample");
  await page.getByLabel("Work email").fill(`sam-${unique}@example.com`);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/campaigns$/);

  // A large import, cancelled while it is sent or saved: nothing of it is kept.
  await page.goto("/leads");
  await page.getByRole("link", { name: "Import a CSV" }).first().click();
  const rows = Array.from(
    { length: 20_000 },
    (_, i) => `Lead ${i},Cancelled,https://www.linkedin.com/in/cancelled-${unique}-${i}/`,
  );
  await page.getByLabel("CSV file").setInputFiles({
    name: "large.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`First Name,Last Name,LinkedIn URL\n${rows.join("\n")}\n`, "utf8"),
  });
  await expect(await statValue(page, "Leads to import")).toHaveText("20,000");
  // The upload is held until Cancel is clicked, however fast the server would save it (the
  // cancel reaching an import half-saved is server/leads/leads.test.ts's "stops an import while
  // it is saving").
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route("**/api/leads/import", async (route) => {
    await held;
    await route.continue().catch(() => {});
  });
  await page.getByRole("button", { name: "Import 20,000 leads" }).click();
  await expect(page.getByRole("progressbar", { name: /Sending the leads|Saving/ })).toBeVisible();
  await page.getByRole("button", { name: "Cancel import" }).click();
  release();
  await expect(page.getByText("Import cancelled: nothing was saved.")).toBeVisible();
  await page.unroute("**/api/leads/import");

  // The sample export. The embedded database runs one transaction at a time, so by the time
  // this import is saved the cancelled one has ended: the total below counts only the sample.
  await page.getByLabel("CSV file").setInputFiles(SAMPLE);
  await expect(await statValue(page, "Rows in the file")).toHaveText("1,003");
  await expect(await statValue(page, "Leads to import")).toHaveText("1,000");
  await expect(await statValue(page, "Rows not imported")).toHaveText("2");
  await expect(page.getByLabel("Enroll in a campaign")).toHaveValue("");
  await page.getByRole("button", { name: "Import 1,000 leads" }).click();
  await expect(
    page.getByText("1,000 leads imported: 1,000 new, 0 already in the workspace."),
  ).toBeVisible({ timeout: 30_000 });

  await page.getByRole("link", { name: "See the leads" }).click();
  await expect(page.getByText("1–50 of 1,000")).toBeVisible();
  await page.getByLabel("Search").fill("Chloé García");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("link", { name: "Chloé García" }).first()).toBeVisible();
});
