// Teacher: keyboard rating in the mastery grid, the student's evidence, and
// confirming a proposed award.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { apiPost, launch, login, newPage } from "./helpers.mjs";

const SECTION = "section-1-alg1-1";
const BADGE = "M101";
let browser;

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("teacher records a rating from the keyboard and confirms a proposed award", { timeout: 90_000 }, async () => {
  const page = await newPage(browser);
  await login(page, "teacher-001");
  await page.getByRole("heading", { name: "My sections", level: 1 }).waitFor();

  // Open the section, then the M101 grid.
  await page.getByRole("link", { name: "Algebra I - Period 1" }).click();
  await page.getByRole("navigation", { name: "Badges of this section" }).getByRole("link", { name: new RegExp(BADGE) }).click();
  await page.waitForURL(new RegExp(`/sections/${SECTION}\\?badge=${BADGE}`));
  const grid = page.getByRole("grid");
  await grid.waitFor();

  // Pick the student: student-00002 when the section has them, else another
  // student (the demo puts student-00002 in the geometry section).
  const data = await (await page.request.get(`/api/v1/sections/${SECTION}/grid?badge=${BADGE}`)).json();
  let row = data.students.findIndex((s) => s.id === "student-00002");
  if (row < 0) {
    row = data.students.findIndex((s) => s.id !== "student-00001" && s.cells.some((c) => c.level !== "advanced"));
    console.log(`# student-00002 is not in ${SECTION}; rating ${data.students[row].id} instead`);
  }
  const student = data.students[row];
  const col = student.cells.findIndex((c) => c.level !== "advanced");
  assert.ok(col >= 0, "a cell that is not yet Advanced");
  const cpe = data.cpes[col];

  // Keyboard only: first cell, then arrows down and right, then Enter.
  await grid.locator("td[role=gridcell]").first().focus();
  for (let i = 0; i < row; i++) await page.keyboard.press("ArrowDown");
  for (let i = 0; i < col; i++) await page.keyboard.press("ArrowRight");
  const focused = await page.evaluate(() => ({ student: document.activeElement?.closest("tr")?.dataset.student, cpe: document.activeElement?.dataset.cpe }));
  assert.deepEqual(focused, { student: student.id, cpe: cpe.id });
  await page.keyboard.press("Enter");

  const dialog = page.getByRole("dialog");
  await dialog.waitFor();
  assert.match(await dialog.getByRole("heading").first().innerText(), new RegExp(cpe.label));
  const today = new Date().toISOString().slice(0, 10);
  assert.equal(await dialog.getByLabel("Date demonstrated").inputValue(), today);
  await dialog.getByLabel("Level shown").selectOption("advanced");
  await dialog.getByLabel("Kind of evidence").selectOption("performance_task");
  const note = `Clear model of the situation; next, try a context with two rates (${Date.now()}).`;
  await dialog.getByLabel("Feedback for the student").fill(note);
  await dialog.getByRole("button", { name: "Save rating" }).click();
  await dialog.waitFor({ state: "hidden" });

  const cell = page.locator(`tr[data-student="${student.id}"] td[data-cpe="${cpe.id}"]`);
  await cell.filter({ hasText: "Advanced" }).waitFor();
  assert.equal(await cell.getAttribute("data-level"), "advanced");
  await page.getByRole("status").filter({ hasText: `Recorded Advanced for ${student.name}` }).waitFor();
  // Focus comes back to the cell that was rated.
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.cpe), cpe.id);

  // The student's detail view shows the new evidence with its feedback.
  await page.locator(`tr[data-student="${student.id}"] th a`).click();
  await page.getByRole("heading", { name: student.name, level: 1 }).waitFor();
  await page.getByRole("tab", { name: "Evidence history" }).click();
  const item = page.locator(".evidence-item").filter({ hasText: note });
  await item.waitFor();
  assert.match(await item.innerText(), /Advanced/);
  assert.match(await item.innerText(), /Performance task/);
  // The same evidence on the per-CPE trend chart (Chart.js), and as a table.
  const trend = page.locator('figure[data-chart="cpe-trend"]');
  await trend.locator("canvas").waitFor();
  const trendBadge = trend.getByLabel("Badge on the chart");
  if (await trendBadge.count()) await trendBadge.selectOption(BADGE);
  await trend.getByRole("img", { name: new RegExp(`^Levels over time: ${BADGE}`) }).waitFor();
  await trend.getByRole("button", { name: "Show as table" }).click();
  const trendRow = trend.locator("tbody tr").filter({ hasText: cpe.id }).filter({ hasText: "Performance task" });
  assert.match(await trendRow.last().innerText(), /Advanced/);
  // The per-badge explanation is there too.
  await page.getByRole("tab", { name: "Badges" }).click();
  const card = page.locator(`article.badge-card[data-badge="${BADGE}"]`);
  await card.getByText("Why, and what remains").click();
  await card.locator(".cpe-reasons li").first().waitFor();

  // Make a proposal exist: rate another student so they meet M101's rule
  // (every CPE at proficient or above, and a performance task at mastery).
  const fresh = await (await page.request.get(`/api/v1/sections/${SECTION}/grid?badge=${BADGE}`)).json();
  const candidate = fresh.students.find((s) => s.id !== student.id && s.id !== "student-00001" && s.award.state === "none");
  assert.ok(candidate, "a student without an M101 award");
  let action = null;
  for (const [i, c] of fresh.cpes.entries()) {
    const result = await apiPost(page, "/api/v1/ratings", {
      student: candidate.id,
      cpe: c.id,
      level: i === 0 ? "advanced" : "proficient",
      demonstrated_on: today,
      kind: i === 0 ? "performance_task" : "summative",
      note: "Seeded by the browser test.",
    });
    assert.equal(result.status, 201, JSON.stringify(result.body));
    action = result.body.award_action ?? action;
  }
  assert.equal(action, "proposed");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Pending awards" }).click();
  await page.getByRole("heading", { name: "Pending awards", level: 1 }).waitFor();
  const pending = page.locator(`li.pending-item[data-student="${candidate.id}"][data-badge="${BADGE}"]`);
  await pending.waitFor();
  await pending.getByRole("button", { name: `Confirm ${BADGE} for ${candidate.name}` }).click();
  await pending.waitFor({ state: "detached" });
  await page.getByRole("status").filter({ hasText: `Confirmed: ${candidate.name} earned ${BADGE}` }).waitFor();

  // Gone for good: a reload asks the server again.
  await page.reload();
  await page.getByRole("heading", { name: "Pending awards", level: 1 }).waitFor();
  await page.locator(".pending-list, .empty").first().waitFor();
  assert.equal(await pending.count(), 0);

  // And the student's view shows the badge as earned.
  await page.goto(`/students/${candidate.id}/badges/${BADGE}`);
  const status = page.locator(".badge-status");
  await status.waitFor();
  await status.locator(".state-chip", { hasText: "Earned" }).waitFor();
  assert.match(await status.innerText(), /Awarded on/);
  assert.deepEqual(page.consoleErrors.filter((e) => !/401/.test(e)), []);
  await page.context().close();
});
