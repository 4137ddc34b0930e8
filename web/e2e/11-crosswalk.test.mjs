// Admin: align a CPE to a CASE standard from the catalog editor, and give a
// CPE a code and a level description that the badge page then shows.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { apiPost, csrf, launch, login, newPage } from "./helpers.mjs";

// A made-up CASE 1.1 framework vendored for the tests (see its NOTICE.md).
const CASE_PACKAGE = fileURLToPath(new URL("../../tests/conformance/case/handmade/sample-state-math-v1p1.json", import.meta.url));
const BADGE = "M155";
const CPE = "M155.2";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function openBadge(page) {
  await page.goto("/admin/catalog");
  await page.getByRole("heading", { name: "Catalog", level: 1 }).waitFor();
  await page.getByRole("navigation", { name: "Catalog parts" }).getByRole("button", { name: new RegExp(BADGE) }).click();
  return page.locator("fieldset").filter({ has: page.getByLabel(`Label of ${CPE}`) });
}

test("admin aligns a standard to a CPE in the catalog editor and it is there after a reload", { timeout: 90_000 }, async () => {
  const page = await newPage(browser);
  await login(page, "admin");
  const pkg = JSON.parse(readFileSync(CASE_PACKAGE, "utf8"));
  // The demo has no framework; importing the same package again changes nothing.
  const imported = await apiPost(page, "/api/v1/imports/case", pkg);
  assert.equal(imported.status, 200, JSON.stringify(imported.body));
  const standard = pkg.CFPackage.CFItems.find((i) => i.humanCodingScheme === "A-CED.1");
  // Start from no alignment, so a second run checks the same thing.
  const reset = await page.request.put(`/api/v1/catalog/cpes/${CPE}/alignments`, { data: { items: [] }, headers: { "X-CSRF-Token": await csrf(page) } });
  assert.equal(reset.status(), 200);

  let cpe = await openBadge(page);
  await cpe.locator("summary", { hasText: "Standards aligned to" }).click();
  await cpe.getByText("No standard is aligned to this CPE.").waitFor();
  await cpe.getByLabel(`Framework for ${CPE}`).selectOption(pkg.CFPackage.CFDocument.identifier);
  await cpe.getByLabel(`Search standards for ${CPE}`).fill("one variable");
  await cpe.getByLabel(`Search standards for ${CPE}`).press("Enter");
  const match = cpe.locator(".std-results li").filter({ hasText: "A-CED.1" });
  await match.waitFor();
  // The match is shown under its ancestors (domain and cluster codes).
  assert.match(await match.innerText(), /A-CED ›/);
  await match.getByRole("checkbox").check();
  await cpe.getByRole("button", { name: `Save standards for ${CPE}` }).click();
  await cpe.getByRole("status").filter({ hasText: "Saved: 1 linked, 0 unlinked." }).waitFor();

  const stored = await (await page.request.get(`/api/v1/catalog/cpes/${CPE}/alignments`)).json();
  assert.deepEqual(stored.alignments.map((a) => a.item), [standard.identifier]);

  await page.reload();
  cpe = await openBadge(page);
  await cpe.locator("summary", { hasText: "Standards aligned to" }).click();
  const aligned = cpe.locator("[data-alignments] li").filter({ hasText: "A-CED.1" });
  await aligned.waitFor();
  assert.ok(await aligned.getByRole("checkbox").isChecked());
  assert.equal(await aligned.locator("a.case-uri").getAttribute("href"), stored.alignments[0].uri);

  // The crosswalk as CSV goes back in unchanged: every row already linked, said in words.
  const csv = await (await page.request.get("/api/v1/standards/crosswalk.csv")).text();
  const rows = csv.trim().split("\n").length - 1;
  assert.ok(rows >= 1, csv);
  await page.getByLabel("Upload a crosswalk CSV").setInputFiles({ name: "crosswalk.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "Upload crosswalk" }).click();
  await page.getByRole("status").filter({ hasText: `Imported ${rows} ${rows === 1 ? "row" : "rows"}: 0 newly linked, 0 unlinked, ${rows} already linked.` }).waitFor();
  assert.deepEqual(page.consoleErrors.filter((e) => !/401/.test(e)), []);
});

test("admin sets a CPE code and a level description and the badge page shows them", { timeout: 90_000 }, async () => {
  const page = await newPage(browser);
  await login(page, "admin");
  const code = `155b-${Date.now() % 100000}`;
  const words = `Explains each step of a right-triangle solution (${code}).`;

  const before = await (await page.request.get("/api/v1/catalog")).json();
  const indicator = before.badges.find((b) => b.code === BADGE).cpes.find((c) => c.id === CPE).indicators[0];
  const indicatorCode = `v-${code}`;

  const cpe = await openBadge(page);
  await cpe.getByLabel(`Code of ${CPE}`).fill(code);
  await cpe.getByLabel(`Code of indicator ${indicator.id}`).fill(indicatorCode);
  // Open already when the CPE has descriptions (a second run).
  const levels = cpe.locator("details.cpe-levels-edit");
  if (!(await levels.evaluate((d) => d.open))) await levels.locator("summary").click();
  await cpe.getByLabel(`Proficient: what work at this level looks like for ${CPE}`).fill(words);
  await page.getByRole("button", { name: "Save catalog" }).click();
  await page.getByRole("status").filter({ hasText: /Saved\. Catalog version \d+ is now in force/ }).waitFor();

  const catalog = await (await page.request.get("/api/v1/catalog")).json();
  const saved = catalog.badges.find((b) => b.code === BADGE).cpes.find((c) => c.id === CPE);
  assert.equal(saved.code, code);
  assert.deepEqual(saved.level_descriptions, { proficient: words });
  assert.equal(saved.indicators[0].code, indicatorCode);
  assert.equal(saved.indicators[0].label, indicator.label);

  await page.goto(`/students/student-00001/badges/${BADGE}`);
  const card = page.locator(`li[data-cpe="${CPE}"]`);
  await card.waitFor();
  assert.match(await card.locator("h3").innerText(), new RegExp(code));
  await card.locator("summary", { hasText: `What each level looks like for ${code}` }).click();
  await card.getByText(words).waitFor();
  await card.locator("summary", { hasText: /Ways to show it/ }).click();
  await card.locator("details.indicators li", { hasText: indicator.label }).locator(".code", { hasText: indicatorCode }).waitFor();
  assert.deepEqual(page.consoleErrors.filter((e) => !/401/.test(e)), []);
});
