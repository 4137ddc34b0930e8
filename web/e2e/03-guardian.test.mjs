// Guardian: the linked child's progress, read-only, and nobody else's.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { PHONE, axe, formatViolations, launch, login, newPage, shot } from "./helpers.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("guardian sees their child's progress, read-only, and not another student's", { timeout: 60_000 }, async () => {
  const page = await newPage(browser);
  await login(page, "guardian-00001");
  await page.getByRole("heading", { name: "My children", level: 1 }).waitFor();
  const me = await (await page.request.get("/api/v1/me")).json();
  assert.equal(me.students.length, 1);
  const child = me.students[0];

  await page.getByRole("link", { name: child.name, exact: true }).click();
  await page.getByRole("heading", { name: child.name, level: 1 }).waitFor();
  await page.getByRole("group", { name: `${child.name}'s pathway map` }).waitFor();
  await page.getByRole("tab", { name: "Badges" }).click();
  await page.locator("article.badge-card").first().waitFor();
  const earned = page.locator("article.badge-card", { has: page.locator(".state-earned") });
  assert.ok((await earned.count()) > 0, "an earned badge is listed");
  assert.match(await earned.first().innerText(), /Awarded on/);

  // Read-only: no rating form, grid, level picker or award buttons anywhere.
  const controls = async () =>
    (await page.locator('[data-rating-form], [role="grid"], td[role="gridcell"], select[id*="level" i]').count()) +
    (await page.getByRole("button", { name: /record|rate|confirm|save rating|revoke/i }).count());
  assert.equal(await controls(), 0);
  await page.getByRole("tab", { name: "Evidence history" }).click();
  await page.locator(".evidence-item").first().waitFor();
  assert.equal(await controls(), 0);
  await page.locator(".evidence-item").first().click();
  assert.equal(await page.getByRole("dialog").count(), 0);
  await page.goto(`/students/${child.id}/badges/M102`);
  await page.locator("li.cpe-card").first().waitFor();
  assert.equal(await controls(), 0);

  // The API refuses another student's record with the guardian's cookie.
  const other = await page.request.get("/api/v1/students/student-00002/progress");
  assert.equal(other.status(), 403);
  assert.equal((await other.json()).error.code, "permission_denied");
  // And so does the UI.
  await page.goto("/students/student-00002");
  await page.getByRole("alert").filter({ hasText: "may not see this record" }).waitFor();
  await page.context().close();
});

test("the family view speaks plainly, on a phone", { timeout: 60_000 }, async () => {
  const page = await newPage(browser, PHONE);
  await login(page, "guardian-00001");
  await page.getByRole("heading", { name: "My children", level: 1 }).waitFor();
  const me = await (await page.request.get("/api/v1/me")).json();
  const child = me.students[0];
  const summary = await (await page.request.get(`/api/v1/students/${child.id}/family-summary`)).json();
  assert.ok(summary.working.length > 0, "the demo child is working on a badge");
  await page.getByRole("heading", { name: "Working on" }).waitFor();
  const first = summary.working[0];
  const item = page.locator(`li.family-badge[data-badge="${first.code}"]`);
  await item.waitFor();
  const text = await item.innerText();
  assert.ok(text.includes(first.title), text);
  assert.ok(text.includes(first.next_step), text);
  if (first.last_note) assert.ok(text.includes(first.last_note.text), text);
  // Earned badges by title with their picture.
  for (const b of summary.earned) await page.getByText(b.title, { exact: true }).first().waitFor();
  if (summary.earned.length > 0) {
    const img = page.locator(".family-earned img").first();
    await img.waitFor();
    assert.ok(await img.evaluate((el) => el.complete && el.naturalWidth > 0), "the badge picture loads");
  }
  // No evidence-kind jargon on the page.
  const body = await page.locator("main").innerText();
  for (const jargon of ["performance_task", "Summative", "summative", "Formative"]) assert.ok(!body.includes(jargon), jargon);
  const { width, inner } = await page.evaluate(() => ({ width: document.querySelector(".family-card").getBoundingClientRect().right, inner: window.innerWidth }));
  assert.ok(width <= inner, `the card ends at ${width}px on a ${inner}px screen`);
  const violations = await axe(page);
  assert.equal(violations.length, 0, formatViolations(violations));
  await shot(page, "guardian-family-phone");
  await page.context().close();
});
