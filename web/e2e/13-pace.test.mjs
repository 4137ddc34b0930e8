// Leaders find who needs help (issue #13): the pace list of their school
// with why each badge is not done, sorted by weeks stalled or last evidence,
// and a link to the student. The page shows what the API says, row for row.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { apiPut, axe, formatViolations, launch, login, newPage, shot, PHONE } from "./helpers.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("school leader goes from the stalled list to a student", { timeout: 60_000 }, async () => {
  const page = await newPage(browser);
  await login(page, "leader-school-1");
  page.consoleErrors.length = 0;  // the login page's 401 for /api/v1/me
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Who needs help" }).click();
  await page.getByRole("heading", { name: "Who needs help", level: 1 }).waitFor();

  const me = await (await page.request.get("/api/v1/me")).json();
  const api = await (await page.request.get(`/api/v1/schools/${me.school.id}/pace?flag=not_progressing&sort=weeks_stalled`)).json();
  assert.equal(api.scope.id, me.school.id);
  assert.ok(api.rows.length > 0, "the demo has stalled students");
  const rows = page.locator("table.pace-table tbody tr");
  await rows.first().waitFor();
  assert.equal(await rows.count(), api.rows.length);
  // Same order as the API: longest stalled first.
  const first = api.rows[0];
  assert.equal(await rows.first().getAttribute("data-student"), first.student_id);
  assert.equal(await rows.first().getAttribute("data-badge"), first.badge);
  for (const line of first.why) assert.ok((await rows.first().textContent()).includes(line), line);
  // Every stalled row says why, in words.
  assert.ok(api.rows.every((r) => r.why.length > 0));
  const violations = await axe(page);
  assert.equal(violations.length, 0, formatViolations(violations));

  // Oldest evidence first.
  await page.getByRole("button", { name: "Oldest evidence first" }).click();
  await page.waitForURL(/sort=last_evidence/);
  const byEvidence = await (await page.request.get(`/api/v1/schools/${me.school.id}/pace?flag=not_progressing&sort=last_evidence`)).json();
  await page.locator(`table.pace-table tbody tr[data-student="${byEvidence.rows[0].student_id}"]`).first().waitFor();
  assert.equal(await rows.first().getAttribute("data-student"), byEvidence.rows[0].student_id);

  // Advancing rapidly is the other list (possibly empty in the demo).
  await page.getByRole("button", { name: "Advancing rapidly" }).click();
  await page.waitForURL(/flag=advancing_rapidly/);
  await page.locator("table.pace-table, .empty").first().waitFor();

  // The chart of the same rows: a point on it opens that student. The test
  // finds a point the way a person does, by its colour on the canvas.
  await page.getByRole("button", { name: "Not progressing" }).click();
  await page.waitForURL(/flag=not_progressing/);
  const canvas = page.locator('figure[data-chart="pace-scatter"] canvas');
  await canvas.waitFor();
  await page.getByRole("img", { name: /^How far along, and how long stalled\. \d+ students on this page/ }).waitFor();
  const spot = await canvas.evaluate((el) => {
    const ctx = el.getContext("2d");
    const { width, height } = el;
    const pixels = ctx.getImageData(0, 0, width, height).data;
    const red = (x, y) => {
      const i = (y * width + x) * 4;
      return pixels[i + 3] > 200 && pixels[i] > 140 && pixels[i + 1] < 90 && pixels[i + 2] < 90;
    };
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (!red(x, y)) continue;
        // The point's centre: the middle of the red pixels around this one.
        let sx = 0, sy = 0, n = 0;
        for (let dy = -12; dy <= 12; dy++) for (let dx = -12; dx <= 12; dx++) {
          if (x + dx >= 0 && y + dy >= 0 && x + dx < width && y + dy < height && red(x + dx, y + dy)) (sx += x + dx), (sy += y + dy), n++;
        }
        const scale = width / el.clientWidth;
        return { x: sx / n / scale, y: sy / n / scale };
      }
    }
    return null;
  });
  assert.ok(spot, "a point drawn on the chart");
  await canvas.click({ position: spot });
  await page.waitForURL(/\/students\//);
  const opened = decodeURIComponent(new URL(page.url()).pathname.split("/").pop());
  // (The list is now oldest evidence first: the order chosen above.)
  assert.ok(byEvidence.rows.some((r) => r.student_id === opened), `${opened} is on the stalled list`);
  await page.goBack();
  await page.waitForURL(/\/pace/);
  // The chart as a table: every row a link to the student.
  const figure = page.locator('figure[data-chart="pace-scatter"]');
  await figure.getByRole("button", { name: "Show as table" }).click();
  assert.equal(await figure.locator("tbody tr").count(), byEvidence.rows.length);
  assert.equal(await figure.locator("tbody tr").first().getByRole("link").textContent(), byEvidence.rows[0].student);

  // Back to the stalled list, then to the student.
  await page.getByRole("button", { name: "Not progressing" }).click();
  await page.waitForURL(/flag=not_progressing/);
  const link = rows.first().getByRole("link");
  await link.waitFor();
  const name = (await link.textContent()).trim();
  await link.click();
  await page.waitForURL(/\/students\//);
  await page.getByRole("heading", { name, level: 1 }).waitFor();
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test("district leader sees the district; the list fits a phone", { timeout: 60_000 }, async () => {
  const page = await newPage(browser, PHONE);
  await login(page, "leader-district");
  await page.goto("/pace");
  await page.getByRole("heading", { name: "Who needs help", level: 1 }).waitFor();
  const me = await (await page.request.get("/api/v1/me")).json();
  const api = await (await page.request.get(`/api/v1/districts/${me.district.id}/pace?flag=not_progressing`)).json();
  assert.equal(api.scope.kind, "district");
  await page.locator("table.pace-table tbody tr, .empty").first().waitFor();
  assert.equal(await page.locator("table.pace-table tbody tr").count(), api.rows.length);
  // The list scrolls inside its own box; nothing widens the page.
  const { content, list, inner, scroll } = await page.evaluate(() => ({
    content: document.querySelector(".page").getBoundingClientRect().right,
    list: document.querySelector(".table-scroll, .empty").getBoundingClientRect().right,
    inner: window.innerWidth,
    scroll: document.documentElement.scrollWidth,
  }));
  assert.ok(scroll <= inner, `the page is ${scroll}px wide on a ${inner}px screen`);
  assert.ok(content <= inner, `page content ends at ${content}px on a ${inner}px screen`);
  assert.ok(list <= inner, `the list ends at ${list}px on a ${inner}px screen`);
  const violations = await axe(page);
  assert.equal(violations.length, 0, formatViolations(violations));
  await shot(page, "leader-pace-phone");
  // The district list comes a page at a time, with its total.
  assert.ok(api.total > api.rows.length, `the demo district's list has more than one page (${api.total})`);
  {
    const next = await (await page.request.get(`/api/v1/districts/${me.district.id}/pace?flag=not_progressing&offset=${api.rows.length}`)).json();
    await page.getByText(`Showing 1–${api.rows.length} of ${api.total}`).waitFor();
    await page.getByRole("button", { name: "Next page" }).click();
    await page.waitForURL(/offset=/);
    await page.locator(`table.pace-table tbody tr[data-student="${next.rows[0].student_id}"]`).first().waitFor();
    assert.equal(await page.locator("table.pace-table tbody tr").first().getAttribute("data-student"), next.rows[0].student_id);
  }
  // A school leader may not read the district's list.
  const other = await newPage(browser);
  await login(other, "leader-school-1");
  assert.equal((await other.request.get(`/api/v1/districts/${me.district.id}/pace`)).status(), 403);
  await other.context().close();
  await page.context().close();
});

test("admin sets the pace plan; the leader's behind-plan list measures against it", { timeout: 90_000 }, async () => {
  const admin = await newPage(browser);
  await login(admin, "admin");
  await admin.goto("/admin/settings");
  const plan = admin.getByRole("region", { name: "Pace plan" });
  await plan.getByLabel("Weeks a badge is expected to take").waitFor();
  // A course of its own: the first course gets 2 weeks a badge.
  const courses = await (await admin.request.get("/api/v1/courses")).json();
  await plan.getByLabel("Weeks a badge is expected to take").fill("5");
  const shared = courses.filter((c) => c.title === courses[0].title).length > 1;
  await plan.getByLabel(shared ? `${courses[0].title} (${courses[0].id})` : courses[0].title, { exact: true }).fill("2");
  await plan.getByRole("button", { name: "Save pace plan" }).click();
  await plan.getByRole("status").filter({ hasText: "Pace plan saved" }).waitFor();
  const saved = await (await admin.request.get("/api/v1/settings/pace")).json();
  assert.equal(saved.weeks_per_badge, 5);
  assert.deepEqual(saved.course_weeks_per_badge, { [courses[0].id]: 2 });
  // Out of range: the server's words, and nothing stored.
  await plan.getByLabel("Weeks a badge is expected to take").fill("60");
  await plan.getByRole("button", { name: "Save pace plan" }).click();
  await plan.getByRole("alert").filter({ hasText: "weeks_per_badge" }).waitFor();
  assert.equal((await (await admin.request.get("/api/v1/settings/pace")).json()).weeks_per_badge, 5);

  const page = await newPage(browser);
  await login(page, "leader-district");
  await page.goto("/pace");
  await page.getByRole("button", { name: "Behind plan" }).click();
  await page.getByRole("button", { name: "Slowest against plan first" }).click();
  await page.waitForURL(/flag=behind_plan.*sort=pace_ratio|sort=pace_ratio.*flag=behind_plan/);
  const me = await (await page.request.get("/api/v1/me")).json();
  const api = await (await page.request.get(`/api/v1/districts/${me.district.id}/pace?flag=behind_plan&sort=pace_ratio&limit=100`)).json();
  assert.ok(api.rows.length > 0, "the demo has students behind the plan");
  assert.ok(api.rows.every((r) => r.behind_plan && r.pace_ratio < 1));
  for (const r of api.rows) {
    if (r.course === courses[0].title && shared) assert.ok([2, 5].includes(r.plan_weeks), r.course);
    else assert.equal(r.plan_weeks, r.course === courses[0].title ? 2 : 5, `${r.course}`);
  }
  assert.ok(api.rows.some((r) => r.plan_weeks === 2) || !api.rows.some((r) => r.course === courses[0].title), "the course's own plan is used");
  const rows = page.locator("table.pace-table tbody tr");
  await rows.first().waitFor();
  assert.equal(await rows.count(), api.rows.length);
  assert.equal(await rows.first().getAttribute("data-student"), api.rows[0].student_id);
  assert.equal(Number(await rows.first().locator("td[data-pace-ratio]").getAttribute("data-pace-ratio")), api.rows[0].pace_ratio);
  await page.locator('figure[data-chart="pace-scatter"] canvas').waitFor();
  await page.getByRole("img", { name: /^How far along, and how far behind the plan\./ }).waitFor();
  const violations = await axe(page);
  assert.equal(violations.length, 0, formatViolations(violations));

  assert.equal((await apiPut(admin, "/api/v1/settings/pace", {})).status, 200);
  await admin.context().close();
  await page.context().close();
});

