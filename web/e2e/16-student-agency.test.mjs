// Student agency (issue #15): a student writes a goal in their plan, asks
// for a badge outside their classes, rates their own work, and opens the
// conference page to print; a teacher accepts the request; a guardian reads
// the conference page and adds a note. Re-runnable: each run adds new
// revisions (the plan keeps every one).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { PHONE, apiPost, axe, formatViolations, launch, login, newPage, shot } from "./helpers.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("a student plans, asks, self-assesses and prints; the family reads it", { timeout: 120_000 }, async () => {
  const stamp = Date.now();
  const student = await newPage(browser);
  await login(student, "student-00001");
  await student.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My plan" }).click();
  await student.getByRole("heading", { name: "My plan", level: 1 }).waitFor();
  const progress = await (await student.request.get("/api/v1/students/student-00001/progress")).json();

  // A goal.
  await student.getByLabel("Badge to earn").selectOption("M104");
  await student.getByLabel("By (optional)").fill("2027-05-31");
  await student.getByLabel("Why it matters to me (optional)").fill(`Ready for physics (${stamp})`);
  await student.getByRole("button", { name: "Add goal" }).click();
  await student.getByRole("status").filter({ hasText: "Goal saved." }).waitFor();
  await student.locator(".plan-goals li", { hasText: `Ready for physics (${stamp})` }).waitFor();

  // A pathway, chosen from the catalog's.
  // (Another than the one chosen on an earlier run, so the test re-runs.)
  const pathwaySelect = student.getByLabel("My pathway");
  const current = await pathwaySelect.inputValue();
  const pathway = current === "geometry" ? { id: "algebra-1", title: "Algebra I sequence" } : { id: "geometry", title: "Geometry" };
  await pathwaySelect.selectOption(pathway.id);
  await student.getByRole("button", { name: "Save pathway" }).click();
  await student.getByRole("status").filter({ hasText: "Pathway saved." }).waitFor();
  await student.locator(".plan-pathway", { hasText: pathway.title }).waitFor();
  assert.ok((await student.locator(".plan-goals li", { hasText: `Ready for physics (${stamp})` }).count()) === 1, "choosing a pathway keeps the goals");
  // Kept: after a reload the plan shows it and the picker starts from it.
  await student.reload();
  await student.locator(".plan-pathway", { hasText: pathway.title }).waitFor();
  assert.equal(await student.getByLabel("My pathway").inputValue(), pathway.id);
  await student.locator(".plan-goals li", { hasText: `Ready for physics (${stamp})` }).waitFor();
  const saved = await (await student.request.get("/api/v1/students/student-00001/plan")).json();
  assert.equal(saved.pathway, pathway.id);

  // An independent-study request.
  await student.getByLabel("Badge to work on").selectOption("M151");
  await student.getByLabel("As", { exact: true }).selectOption("independent_study");
  await student.getByRole("button", { name: "Ask a teacher" }).click();
  await student.locator('.plan-requests li[data-badge="M151"][data-state="requested"]').waitFor();

  // A self-assessment: kept apart, mastery unchanged.
  await student.getByLabel("Skill (CPE)").selectOption("M104.1");
  await student.getByLabel("My work is at").selectOption("proficient");
  await student.getByLabel("Why (optional)").fill(`I can explain it (${stamp})`);
  await student.getByRole("button", { name: "Save my rating" }).click();
  await student.locator(".plan-self li", { hasText: `I can explain it (${stamp})` }).waitFor();
  const after = await (await student.request.get("/api/v1/students/student-00001/progress")).json();
  assert.deepEqual(after.badges, progress.badges, "a self-assessment never changes progress");
  const violations = await axe(student);
  assert.equal(violations.length, 0, formatViolations(violations));

  // The conference page, ready to print.
  await student.getByRole("link", { name: "Conference page" }).click();
  await student.getByRole("heading", { name: /student-led conference/, level: 1 }).waitFor();
  await student.locator(".conference li", { hasText: `Ready for physics (${stamp})` }).waitFor();
  await student.getByRole("heading", { name: "What's next" }).waitFor();
  await student.locator(".conference p", { hasText: `Pathway: ${pathway.title}` }).waitFor();
  await student.emulateMedia({ media: "print" });
  assert.equal(await student.locator(".topbar").isVisible(), false, "the navigation is not printed");
  assert.equal(await student.getByRole("button", { name: "Print" }).isVisible(), false);
  await shot(student, "student-conference-print");
  await student.emulateMedia({ media: "screen" });

  // Rating one submitted piece of work from its own page; the teacher sees it
  // beside the work, apart from (and not prefilled into) the rating form.
  const made = await apiPost(student, "/api/v1/students/student-00001/submissions", {
    badge: "M101",
    title: `Slope practice (${stamp})`,
    text: "m = (5 - 1) / (2 - 0) = 2",
    tags: ["M101.1"],
    submit: true,
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const work = made.body;
  await student.goto(`/me/portfolio/${work.id}`);
  await student.getByRole("heading", { name: "How I rate this work" }).waitFor();
  const levelSelect = student.getByLabel("My level");
  const firstLevel = await levelSelect.locator("option").nth(1).getAttribute("value");
  await levelSelect.selectOption(firstLevel);
  await student.locator(".self-assessment").getByLabel("Why (optional)").fill(`On this piece (${stamp})`);
  await student.locator(".self-assessment").getByRole("button", { name: "Save my rating" }).click();
  await student.locator(".self-list li", { hasText: `On this piece (${stamp})` }).waitFor();
  await student.context().close();

  // A teacher accepts the request on the student's plan.
  const teacher = await newPage(browser);
  await login(teacher, "teacher-001");
  await teacher.goto("/students/student-00001/plan");
  await teacher.getByRole("button", { name: "Accept M151" }).click();
  await teacher.locator('.plan-requests li[data-badge="M151"][data-state="accepted"]').waitFor();
  await teacher.goto(`/portfolio/${work.id}`);
  const selfCard = teacher.locator(".self-assessment");
  await selfCard.getByRole("heading", { name: "Student's self-assessment (not counted toward mastery)" }).waitFor();
  await selfCard.locator("li", { hasText: `On this piece (${stamp})` }).waitFor();
  const rateSelects = teacher.locator(".rate-form select[id^='rate-M']");
  await rateSelects.first().waitFor();
  assert.ok((await rateSelects.count()) > 0, "the teacher's rating form is there, beside the self-assessment");
  assert.equal(await teacher.locator(".rate-form").getByText(`On this piece (${stamp})`).count(), 0, "the student's note is not in the rating form");
  for (let i = 0; i < (await rateSelects.count()); i++) {
    assert.equal(await rateSelects.nth(i).inputValue(), "", "the teacher's rating form starts empty");
  }
  await teacher.context().close();

  // A guardian reads the conference page and adds a note, on a phone.
  const guardian = await newPage(browser, PHONE);
  await login(guardian, "guardian-00001");
  await guardian.getByRole("link", { name: /conference page and plan/ }).click();
  await guardian.locator(".conference li", { hasText: `Ready for physics (${stamp})` }).waitFor();
  await guardian.getByText(/Also working on, by request:/).waitFor();
  await guardian.getByLabel("Add a note").fill(`We talked about the goal (${stamp})`);
  await guardian.getByRole("button", { name: "Add note" }).click();
  await guardian.locator(".plan-notes li", { hasText: `We talked about the goal (${stamp})` }).waitFor();
  const scroll = await guardian.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  assert.ok(scroll, "the conference page fits a phone");
  const guardianViolations = await axe(guardian);
  assert.equal(guardianViolations.length, 0, formatViolations(guardianViolations));
  // Another family's child stays closed.
  assert.equal((await guardian.request.get("/api/v1/students/student-00002/plan")).status(), 403);
  await guardian.context().close();
});
