// The district implementation plan (issue #15, Appendix B): a district
// leader adds a tracker row, edits it (the history shows both revisions),
// sees it overdue on the dashboard and downloads the tracker as XLSX; an
// observation is shown to the observed teacher and refused to another.
// Every run adds its own uniquely named rows, so it re-runs on the same db.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { apiPost, axe, formatViolations, launch, login, newPage, shot, PASSWORD } from "./helpers.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const run = Date.now().toString(36);

test("district leader keeps a tracker: add, edit, history, overdue, XLSX", { timeout: 120_000 }, async () => {
  const page = await newPage(browser);
  await login(page, "leader-district");
  page.consoleErrors.length = 0;
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Plan" }).click();
  await page.getByRole("heading", { name: "Implementation plan", level: 1 }).waitFor();
  await page.getByRole("link", { name: "Stakeholder engagement" }).click();
  await page.getByRole("heading", { name: "Stakeholder engagement", level: 1 }).waitFor();

  const title = `Town hall ${run}`;
  await page.getByRole("button", { name: "Add a row" }).click();
  await page.getByLabel("Opportunity (required)").fill(title);
  await page.getByLabel("Partners", { exact: true }).fill("Families, school leaders");
  await page.getByLabel("Owner").fill("Community office");
  await page.getByLabel("Due date").fill("2020-01-15");
  await page.getByLabel("Status").selectOption("in progress");
  await page.getByRole("button", { name: "Add row" }).click();
  const row = page.locator("table.tracker-table tbody tr", { hasText: title });
  await row.waitFor();
  assert.match(await row.textContent(), /Overdue/);

  await row.getByRole("button", { name: `Edit ${title}` }).click();
  await page.getByLabel("Notes").fill("Venue booked");
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.getByRole("status").filter({ hasText: "revision 2" }).waitFor();
  await row.getByRole("button", { name: /History of/ }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByText("Revision 2").waitFor();
  assert.equal(await dialog.locator("[data-revision]").count(), 2);
  assert.match(await dialog.locator('[data-revision="2"]').textContent(), /Venue booked/);
  assert.doesNotMatch(await dialog.locator('[data-revision="1"]').textContent(), /Venue booked/);
  let violations = await axe(page);
  assert.equal(violations.length, 0, formatViolations(violations));
  await page.keyboard.press("Escape");

  // The XLSX download is a workbook (a zip).
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download XLSX" }).click()]);
  const bytes = readFileSync(await download.path());
  assert.equal(bytes.subarray(0, 2).toString("latin1"), "PK");
  violations = await axe(page);
  assert.equal(violations.length, 0, formatViolations(violations));

  // The dashboard lists it as overdue.
  await page.goto("/plan");
  await page.getByRole("heading", { name: "Implementation plan", level: 1 }).waitFor();
  const overdue = page.getByTestId("overdue");
  await overdue.waitFor();
  await overdue.getByRole("link", { name: title }).waitFor();
  assert.ok((await page.locator('[aria-current="step"]').count()) === 1);
  violations = await axe(page);
  assert.equal(violations.length, 0, formatViolations(violations));
  await shot(page, "17-plan-dashboard");
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test("an observation is shown to the observed teacher and refused to another", { timeout: 120_000 }, async () => {
  const leader = await newPage(browser);
  await login(leader, "leader-district");
  const me = await (await leader.request.get("/api/v1/me")).json();
  const protocolName = `Look-for protocol ${run}`;
  const protocol = await apiPost(leader, `/api/v1/districts/${me.district.id}/trackers/observation-protocol-3-2/rows`, {
    values: { name: protocolName, look_fors: ["Students explain their reasoning", "Tasks fit a badge"] },
  });
  assert.equal(protocol.status, 201);

  await leader.goto("/observations");
  await leader.getByRole("heading", { name: "Classroom observations", level: 1 }).waitFor();
  await leader.getByLabel("Teacher observed").selectOption("teacher-001");
  await leader.getByLabel("Protocol").selectOption(protocol.body.id);
  await leader.getByLabel("Students explain their reasoning").selectOption("partly");
  const notes = `Clear launch, pairs talked ${run}`;
  await leader.getByLabel("Notes").fill(notes);
  const [posted] = await Promise.all([
    leader.waitForResponse((r) => r.url().endsWith("/observations") && r.request().method() === "POST"),
    leader.getByRole("button", { name: "Record observation" }).click(),
  ]);
  assert.equal(posted.status(), 201);
  const id = (await posted.json()).id;
  await leader.locator(`tr[data-observation="${id}"]`).waitFor();
  let violations = await axe(leader);
  assert.equal(violations.length, 0, formatViolations(violations));
  await leader.context().close();

  const teacher = await newPage(browser);
  await login(teacher, "teacher-001");
  teacher.consoleErrors.length = 0;
  await teacher.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Observations" }).click();
  await teacher.locator(`tr[data-observation="${id}"]`).getByRole("link").click();
  await teacher.getByText(notes).waitFor();
  await teacher.getByText("Students explain their reasoning").waitFor();
  violations = await axe(teacher);
  assert.equal(violations.length, 0, formatViolations(violations));
  assert.deepEqual(teacher.consoleErrors, []);
  await teacher.context().close();

  // Another teacher of the demo district, given an account here (already there on a re-run).
  const admin = await newPage(browser);
  await login(admin, "admin");
  const made = await apiPost(admin, "/api/v1/users", { person: "teacher-002", username: "teacher-002", password: PASSWORD });
  assert.ok([200, 201, 409].includes(made.status), `account for teacher-002: ${made.status} ${JSON.stringify(made.body)}`);
  // Another test (an invitation) may have given teacher-002 an account under
  // another name and password: use that account with a known password.
  const accounts = await (await admin.request.get("/api/v1/users")).json();
  const account = accounts.find((a) => a.person?.id === "teacher-002");
  assert.ok(account, "teacher-002 has an account");
  const reset = await apiPost(admin, `/api/v1/users/${account.id}/password`, { password: PASSWORD });
  assert.equal(reset.status, 200, JSON.stringify(reset.body));
  await admin.context().close();
  const other = await newPage(browser);
  await login(other, account.username);
  assert.equal((await other.request.get(`/api/v1/observations/${id}`)).status(), 403);
  await other.goto(`/observations/${id}`);
  await other.getByText("This observation cannot be shown").waitFor();
  assert.equal(await other.getByText(notes).count(), 0);
  await other.goto("/observations");
  await other.getByRole("heading", { name: "Classroom observations", level: 1 }).waitFor();
  await other.locator("table, .empty").first().waitFor();
  assert.equal(await other.locator(`tr[data-observation="${id}"]`).count(), 0);
  violations = await axe(other);
  assert.equal(violations.length, 0, formatViolations(violations));
  await other.context().close();
});
