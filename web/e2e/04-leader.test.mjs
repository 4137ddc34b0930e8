// School leader: the completion dashboard and the sections list.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch, login, newPage } from "./helpers.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("school leader sees completion charts by badge, school and course", { timeout: 60_000 }, async () => {
  const page = await newPage(browser);
  await login(page, "leader-school-1");
  await page.waitForURL(/\/dashboard/);
  await page.getByRole("heading", { name: "Completion dashboard", level: 1 }).waitFor();

  const report = await (await page.request.get("/api/v1/reports/completion?by=badge")).json();
  const chart = page.getByRole("group", { name: "Completion rate by badge" });
  await chart.waitFor();
  assert.equal(await chart.locator("g.bar-row").count(), report.groups.length);
  const first = report.groups.find((g) => !g.suppressed);
  const row = chart.locator(`g[data-group="${first.group}"]`);
  assert.match(await row.textContent(), new RegExp(`${Math.round(first.completion_rate * 100)}% · ${first.completed} of ${first.badge_enrolments}`));
  for (const g of report.groups.filter((x) => x.suppressed)) {
    assert.match(await chart.locator(`g[data-group="${g.group}"]`).textContent(), /Fewer than 10 students — not shown/);
  }
  // Completions by month (Chart.js): a picture with a summary, and the same
  // numbers as a table one press away, summing to the badges confirmed.
  const monthly = page.locator('figure[data-chart="monthly"]');
  await monthly.getByRole("img", { name: /^Badges confirmed each month.*badges confirmed over/ }).waitFor();
  await monthly.getByRole("button", { name: "Show as table" }).click();
  const monthRows = monthly.locator("tbody tr");
  await monthRows.first().waitFor();
  let confirmed = 0;
  for (const cell of await monthly.locator("tbody tr td").allTextContents()) confirmed += Number(cell);
  const expected = report.groups.flatMap((g) => g.by_month ?? []).reduce((n, m) => n + m.completed, 0);
  assert.equal(confirmed, expected);
  assert.ok(expected > 0);
  await monthly.getByRole("button", { name: "Show as chart" }).click();
  await monthly.locator("canvas").waitFor();

  await page.getByRole("button", { name: "By school" }).click();
  await page.getByRole("img", { name: "Completion rate by school" }).locator('g[data-group="Riverbend High School"]').waitFor();
  await page.getByRole("button", { name: "By course" }).click();
  const byCourse = page.getByRole("img", { name: "Completion rate by course" });
  await byCourse.locator('g[data-group="Algebra I"]').waitFor();
  // The same numbers as a table, for screen readers and copying.
  await page.getByText("Show the numbers as a table").click();
  await page.locator('tr[data-group="Geometry"]').waitFor();

  // Small groups are never drawn. The demo has none, so let one through the
  // network layer to see how the page shows it.
  await page.route("**/api/v1/reports/completion?by=school", async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    body.groups.push({ group: "Tiny Pilot School", suppressed: true });
    await route.fulfill({ response, json: body });
  });
  await page.getByRole("button", { name: "By school" }).click();
  const bySchool = page.getByRole("img", { name: "Completion rate by school" });
  const tiny = bySchool.locator('g[data-group="Tiny Pilot School"]');
  await tiny.waitFor();
  assert.match(await tiny.textContent(), /Fewer than 10 students — not shown/);
  assert.doesNotMatch(await tiny.textContent(), /%/);
  await page.getByText(/1 not shown/).waitFor();
  await page.unroute("**/api/v1/reports/completion?by=school");

  // The school's sections, and a section's grid from there.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sections" }).click();
  await page.getByRole("heading", { name: "Sections", level: 1 }).waitFor();
  const sections = await (await page.request.get("/api/v1/sections")).json();
  assert.equal(await page.locator("li.section-card").count(), sections.length);
  await page.locator("li.section-card").first().getByRole("heading").getByRole("link").click();
  await page.getByRole("grid").waitFor();
  await page.context().close();
});
