// Leaders: is it fair? Completion broken down by a demographic field on the
// dashboard, with gaps, small groups hidden, and the same figures as CSV.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { axe, formatViolations, launch, login, newPage, shot, PHONE } from "./helpers.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("a district leader breaks completion down by English learner and downloads it", { timeout: 90_000 }, async () => {
  const page = await newPage(browser);
  await login(page, "leader-district");
  page.consoleErrors.length = 0;  // the login page's 401 for /api/v1/me
  await page.goto("/dashboard");
  await page.getByRole("heading", { name: /Is it fair\?/ }).waitFor();
  await page.getByLabel("Break down by").selectOption("english_learner");
  await page.waitForURL(/field=english_learner/);

  const api = await (await page.request.get("/api/v1/reports/equity?field=english_learner")).json();
  assert.ok(api.overall, "the demo district is large enough to break down");
  const table = page.locator("#equity-table");
  for (const g of api.groups) {
    const row = table.locator(`tr[data-equity-group="${g.group}"]`);
    await row.waitFor();
    const text = await row.textContent();
    if (g.suppressed) {
      assert.match(text, /Not shown/);
      assert.doesNotMatch(text, /%/);
    } else {
      assert.match(text, new RegExp(`${g.students}`));
      assert.match(text, new RegExp(`${Math.round(g.completion_rate * 100)}%`));
      const points = Math.round(g.gap * 100);
      assert.match(text, points === 0 ? /same as everyone/ : new RegExp(`${points > 0 ? "\\+" : "−"}${Math.abs(points)} points`));
    }
  }
  await table.getByRole("rowheader", { name: "Everyone" }).waitFor();
  // The chart has a bar per group, with the same table behind it.
  const chart = page.getByRole("img", { name: "Completion rate by english learner" });
  assert.equal(await chart.locator("g.bar-row").count(), api.groups.length);

  // The download carries the same figures.
  const href = await page.getByRole("link", { name: /Download CSV/ }).getAttribute("href");
  const csv = await (await page.request.get(href)).text();
  const lines = csv.trim().split(/\r?\n/);
  assert.equal(lines[0], "English learner,Students,Badges taken on,Completed,Not yet,Completion rate,Gap to everyone");
  for (const g of api.groups.filter((x) => !x.suppressed)) {
    assert.ok(lines.some((l) => l.startsWith(`${g.group},${g.students},${g.badge_enrolments},${g.completed},`)), `${g.group} in ${csv}`);
  }
  const xlsx = await page.request.get(`/api/v1/reports/equity?field=english_learner&format=xlsx`);
  assert.equal(xlsx.status(), 200);
  assert.match(xlsx.headers()["content-type"], /spreadsheetml/);
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test("the breakdown fits a phone and passes axe", { timeout: 90_000 }, async () => {
  const page = await newPage(browser, PHONE);
  await login(page, "leader-school-1");
  await page.goto("/dashboard?field=race_ethnicity");
  await page.locator("#equity-table").waitFor();
  const { inner, scroll } = await page.evaluate(() => ({ inner: window.innerWidth, scroll: document.documentElement.scrollWidth }));
  assert.ok(scroll <= inner, `the page is ${scroll}px wide on a ${inner}px screen`);
  const violations = await axe(page);
  assert.equal(violations.length, 0, formatViolations(violations));
  await shot(page, "leader-equity-phone");
  await page.context().close();
});
