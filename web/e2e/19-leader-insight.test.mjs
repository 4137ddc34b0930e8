// Leaders: from a chart to the students behind it (drill-down), and is it
// fair? (completion broken down by a demographic field, with gaps, small
// groups hidden, and the same figures as CSV).
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

test("a leader drills from a chart bar to a stalled student and why", { timeout: 90_000 }, async () => {
  const page = await newPage(browser);
  await login(page, "leader-district");
  page.consoleErrors.length = 0;  // the login page's 401 for /api/v1/me
  await page.goto("/dashboard");
  // A badge's bar is a link to its students: the first badge shown with
  // students not done (earlier tests change the district's data).
  const completion = await (await page.request.get("/api/v1/reports/completion?by=badge")).json();
  const group = completion.groups.find((g) => !g.suppressed && g.completed < g.badge_enrolments);
  assert.ok(group, JSON.stringify(completion));
  const code = group.group;
  await page.getByRole("group", { name: "Completion rate by badge" }).getByRole("link", { name: new RegExp(`^${code} · `) }).click();
  await page.waitForURL(new RegExp(`/dashboard/badges/${code}$`));
  const api = await (await page.request.get(`/api/v1/reports/badges/${code}/students`)).json();
  await page.locator("h2#why-title, .notice-error").first().waitFor({ timeout: 30_000 });
  assert.match(await page.locator("h2#why-title").textContent().catch(() => ""), /Why students in all your schools are not done/, await page.locator("main").innerText());
  // The most common reason comes first, with how many students it holds back.
  const first = page.locator(".reason-list li").first();
  const firstText = await first.textContent();
  assert.ok(firstText.startsWith(`${api.reasons[0].students} student`) && firstText.endsWith(api.reasons[0].reason), firstText);

  // Down to a school, then a section.
  const school = api.schools.find((x) => x.completed < x.students).school;
  await page.locator("#drill-schools").getByRole("link", { name: school }).click();
  await page.getByRole("heading", { name: `Sections in ${school}`, exact: true }).waitFor();
  const inSchool = await (await page.request.get(`/api/v1/reports/badges/${code}/students?school=${encodeURIComponent(school)}`)).json();
  const section = inSchool.sections.find((x) => x.section_id && x.completed < x.students);
  await page.locator("#drill-sections").getByRole("link", { name: section.section }).click();
  await page.getByRole("heading", { name: `Students in ${section.section}`, exact: true }).waitFor();
  const inSection = await (await page.request.get(`/api/v1/reports/badges/${code}/students?school=${encodeURIComponent(school)}&section=${encodeURIComponent(section.section_id)}`)).json();
  assert.ok(inSection.rows.length > 0, `the section has students not done on ${code}`);
  // The first listed has gone longest without evidence; their reasons show.
  const stalled = inSection.rows[0];
  const item = page.locator(`li.drill-student[data-student="${stalled.student_id}"]`);
  await item.waitFor();
  for (const reason of stalled.remaining) assert.ok((await item.textContent()).includes(reason), reason);
  // The breadcrumb leads back up.
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: school }).waitFor();

  // And on to the student's own badge page.
  await item.getByRole("link", { name: stalled.student_name }).click();
  await page.waitForURL(new RegExp(`/students/${stalled.student_id}/badges/${code}`));
  await page.getByRole("heading", { level: 1 }).waitFor();
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
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
      // Not progressing (the pace flag), by the same group.
      assert.equal(Number(await row.locator("td[data-not-progressing]").getAttribute("data-not-progressing")), g.not_progressing);
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
  assert.equal(lines[0], "English learner,Students,Badges taken on,Completed,Not yet,Completion rate,Gap to everyone,Not progressing,Not progressing rate");
  for (const g of api.groups.filter((x) => !x.suppressed)) {
    assert.ok(lines.some((l) => l.startsWith(`${g.group},${g.students},${g.badge_enrolments},${g.completed},`)), `${g.group} in ${csv}`);
    const line = lines.find((l) => l.startsWith(`${g.group},`)).split(",");
    assert.equal(Number(line[7]), g.not_progressing, `${g.group} not progressing`);
  }
  const xlsx = await page.request.get(`/api/v1/reports/equity?field=english_learner&format=xlsx`);
  assert.equal(xlsx.status(), 200);
  assert.match(xlsx.headers()["content-type"], /spreadsheetml/);
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test("the breakdown and the drill-down fit a phone and pass axe", { timeout: 90_000 }, async () => {
  const page = await newPage(browser, PHONE);
  await login(page, "leader-school-1");
  await page.goto("/dashboard?field=race_ethnicity");
  await page.locator("#equity-table").waitFor();
  let { inner, scroll } = await page.evaluate(() => ({ inner: window.innerWidth, scroll: document.documentElement.scrollWidth }));
  assert.ok(scroll <= inner, `the page is ${scroll}px wide on a ${inner}px screen`);
  let violations = await axe(page);
  assert.equal(violations.length, 0, formatViolations(violations));
  // The drill-down page too.
  const drill = await (await page.request.get("/api/v1/reports/badges/M101/students")).json();
  await page.goto(`/dashboard/badges/M101?school=${encodeURIComponent(drill.schools[0].school)}`);
  await page.locator("#drill-sections").waitFor();
  ({ inner, scroll } = await page.evaluate(() => ({ inner: window.innerWidth, scroll: document.documentElement.scrollWidth })));
  assert.ok(scroll <= inner, `the page is ${scroll}px wide on a ${inner}px screen`);
  violations = await axe(page);
  assert.equal(violations.length, 0, formatViolations(violations));
  await shot(page, "leader-drilldown-phone");
  await page.context().close();
});
