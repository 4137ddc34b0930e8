// Issue #15, the rest of student agency, through the browser:
// - an admin maps badges to course credit and graduation on Admin > Settings;
//   a bad badge code is named on its own requirement and nothing is saved
//   (a reload shows the old map); the good map is saved;
// - the student (plan and conference page) and their guardian see where the
//   student stands;
// - the district turns badge requests off (the student is told, the form is
//   gone) and on again;
// - a student submits work, a teacher asks a classmate to review it, the
//   classmate answers without seeing whose it is, and the author reads
//   "A classmate" while the teacher sees who.
// Only the classmate's account is made with the API (setup). Stamped names,
// so the file re-runs on the same database, but a fresh one is the norm.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { PASSWORD, apiPost, axe, formatViolations, launch, login, newPage } from "./helpers.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const STAMP = Date.now();

// Labels of the requirement editor's fields (AgencySettings.tsx).
const LABELS = { title: "Title", id: "Id", kind: "Kind", badges: "Badges", min: "How many of them", credits: "Credits given", from: "Credits from", needed: "Credits needed" };

async function fillRequirement(page, i, values) {
  const row = page.locator(`fieldset[data-row="${i}"]`);
  for (const [field, value] of Object.entries(values)) {
    const control = row.getByLabel(LABELS[field], { exact: true });
    if (field === "kind") await control.selectOption(value);
    else await control.fill(value);
  }
}

test("an admin maps badges to credit; the student and family see the standing; requests can be turned off", { timeout: 150_000 }, async () => {
  const admin = await newPage(browser);
  await login(admin, "admin");
  await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await admin.waitForURL(/\/admin\/settings$/);
  for (const name of ["Badge requests", "Credit and graduation", "Who reads classroom observations"]) {
    await admin.getByRole("heading", { name, level: 2 }).waitFor();
  }
  await admin.getByRole("button", { name: "Add a requirement" }).waitFor();
  const before = await (await admin.request.get("/api/v1/settings/credit-map")).json();
  const rows = admin.locator("fieldset.credit-row");
  assert.equal(await rows.count(), before.requirements.length, "the editor shows the saved map");

  // Start from an empty map on a re-run.
  while ((await admin.getByRole("button", { name: /^Remove requirement/ }).count()) > 0) {
    await admin.getByRole("button", { name: /^Remove requirement/ }).first().click();
  }
  await admin.getByRole("button", { name: "Add a requirement" }).click();
  await fillRequirement(admin, 0, { title: "Algebra I", id: "algebra-1", badges: "M101, M102, Z999", min: "3", credits: "1" });
  await admin.getByRole("button", { name: "Add a requirement" }).click();
  await fillRequirement(admin, 1, { title: "Mathematics for graduation", id: "grad-math", kind: "graduation" });
  await fillRequirement(admin, 1, { from: "algebra-1", needed: "1" });

  // The bad code is named on its own requirement, and nothing is saved.
  await admin.getByRole("button", { name: "Save the credit map" }).click();
  await admin.locator('fieldset[data-row="0"] .field-errors li', { hasText: "badges[2]: no badge 'Z999'" }).waitFor();
  assert.equal(await admin.locator('fieldset[data-row="1"] .field-errors').count(), 0, "the other requirement has no error");
  assert.equal(await admin.getByText("Credit and graduation map saved.").count(), 0);
  assert.deepEqual(await (await admin.request.get("/api/v1/settings/credit-map")).json(), before, "nothing saved");
  await admin.reload();
  await admin.getByRole("button", { name: "Add a requirement" }).waitFor();
  assert.equal(await rows.count(), before.requirements.length, "a reload shows the old map");
  if (before.requirements.length === 0) await admin.getByText("No requirements yet.").waitFor();
  for (let i = 0; i < before.requirements.length; i++) {
    assert.equal(await rows.nth(i).getByLabel("Title", { exact: true }).inputValue(), before.requirements[i].title);
    assert.ok(!(await rows.nth(i).getByLabel("Badges", { exact: true }).inputValue()).includes("Z999"));
  }

  // The good map (rebuilt after the reload).
  while ((await admin.getByRole("button", { name: /^Remove requirement/ }).count()) > 0) {
    await admin.getByRole("button", { name: /^Remove requirement/ }).first().click();
  }
  await admin.getByRole("button", { name: "Add a requirement" }).click();
  await fillRequirement(admin, 0, { title: "Algebra I", id: "algebra-1", badges: "M101, M102, M103, M104", min: "3", credits: "1" });
  await admin.getByRole("button", { name: "Add a requirement" }).click();
  await fillRequirement(admin, 1, { title: "Mathematics for graduation", id: "grad-math", kind: "graduation" });
  await fillRequirement(admin, 1, { from: "algebra-1", needed: "1" });
  await admin.getByRole("button", { name: "Save the credit map" }).click();
  await admin.getByRole("status").filter({ hasText: "Credit and graduation map saved." }).waitFor();
  const saved = await (await admin.request.get("/api/v1/settings/credit-map")).json();
  assert.deepEqual(saved.requirements.map((r) => r.id), ["algebra-1", "grad-math"]);
  const algebra = saved.requirements[0];
  assert.deepEqual(algebra.badges, ["M101", "M102", "M103", "M104"]);
  assert.equal(algebra.min_badges, 3);
  assert.equal(algebra.credits, 1);
  assert.deepEqual(saved.requirements[1].credits_from, ["algebra-1"]);
  assert.equal(saved.requirements[1].credits_needed, 1);
  // Kept: a reload shows the saved map.
  await admin.reload();
  await admin.locator('fieldset[data-row="1"]').waitFor();
  assert.equal(await rows.count(), 2);
  assert.equal(await rows.nth(0).getByLabel("Badges", { exact: true }).inputValue(), "M101, M102, M103, M104");
  assert.equal(await rows.nth(1).getByLabel("Kind", { exact: true }).inputValue(), "graduation");
  const violations = await axe(admin);
  assert.equal(violations.length, 0, formatViolations(violations));

  // The demo student holds M101-M103: Algebra I is met, and so graduation math.
  const student = await newPage(browser);
  await login(student, "student-00001");
  await student.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My plan" }).click();
  await student.getByRole("heading", { name: "My plan", level: 1 }).waitFor();
  const card = student.locator(".credit-progress");
  await card.getByRole("heading", { name: "Credit and graduation", level: 2 }).waitFor();
  await card.locator('li[data-requirement="algebra-1"][data-met="yes"]', { hasText: "Algebra I: Met: 1 credit." }).waitFor();
  await card.locator('li[data-requirement="grad-math"][data-met="yes"]', { hasText: "Mathematics for graduation: Met." }).waitFor();
  await student.getByRole("link", { name: "Conference page" }).click();
  await student.waitForURL(/\/me\/conference$/);
  const conference = student.locator("section", { has: student.getByRole("heading", { name: "Toward credit and graduation" }) });
  await conference.locator('li[data-requirement="algebra-1"]', { hasText: "Met: 1 credit." }).waitFor();
  await conference.locator('li[data-requirement="grad-math"]', { hasText: "Mathematics for graduation" }).waitFor();

  const guardian = await newPage(browser);
  await login(guardian, "guardian-00001");
  await guardian.goto("/students/student-00001/plan");
  const family = guardian.locator(".credit-progress");
  await family.getByRole("heading", { name: "Credit and graduation" }).waitFor();
  await family.locator('li[data-requirement="algebra-1"][data-met="yes"]', { hasText: "Algebra I: Met: 1 credit." }).waitFor();
  await family.locator('li[data-requirement="grad-math"][data-met="yes"]', { hasText: "Mathematics for graduation: Met." }).waitFor();
  await guardian.context().close();

  // Badge requests off: the student is told, and the form is gone; then on again.
  // (Each wait needs the box to exist and be enabled: a box not rendered yet
  // is not a loaded one.)
  const requests = admin.getByRole("checkbox", { name: /Students may request a badge outside their classes/ });
  await admin.waitForFunction(() => document.querySelector("#requests-h")?.closest("section")?.querySelector("input[type=checkbox]")?.disabled === false);
  if (!(await requests.isChecked())) {
    await requests.check();
    await admin.getByRole("status").filter({ hasText: "Students may request badges" }).waitFor();
  }
  await requests.uncheck();
  await admin.getByRole("status").filter({ hasText: "Badge requests are turned off." }).waitFor();
  await admin.reload();
  await admin.waitForFunction(() => document.querySelector("#requests-h")?.closest("section")?.querySelector("input[type=checkbox]")?.disabled === false);
  assert.equal(await requests.isChecked(), false, "turned off is kept");
  await student.goto("/me/plan");
  await student.getByText("Your district does not take requests for badges outside your classes.").waitFor();
  assert.equal(await student.getByRole("button", { name: "Ask a teacher" }).count(), 0);
  assert.equal(await student.getByLabel("Badge to work on").count(), 0, "the request form is gone");
  await requests.check();
  await admin.getByRole("status").filter({ hasText: "Students may request badges" }).waitFor();
  await student.reload();
  await student.getByRole("button", { name: "Ask a teacher" }).waitFor();
  await student.getByLabel("Badge to work on").waitFor();
  assert.equal(await student.getByText("Your district does not take requests").count(), 0);
  await student.context().close();
  await admin.context().close();
});

test("a classmate reviews work without its author's name; the author reads 'A classmate'", { timeout: 150_000 }, async () => {
  const title = `Two plans compared (${STAMP})`;
  const text = `Plan A costs less under 4 GB (${STAMP}).`;
  const strength = `The table makes it clear (${STAMP})`;
  const suggestion = `Say which plan you would pick (${STAMP}).`;

  // The author submits a piece of work.
  const author = await newPage(browser);
  await login(author, "student-00001");
  const authorName = (await (await author.request.get("/api/v1/me")).json()).name ?? "";
  assert.ok(authorName, "the author has a name");
  await author.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My portfolio" }).click();
  await author.getByRole("link", { name: "New evidence" }).click();
  await author.getByRole("heading", { name: "New evidence", level: 1 }).waitFor();
  await author.getByLabel("Badge").selectOption("M101");
  await author.getByLabel("Title").fill(title);
  await author.getByRole("checkbox", { name: /M101\.1/ }).check();
  await author.getByLabel("Typed work").fill(text);
  await author.getByRole("button", { name: "Submit to my teacher" }).click();
  await author.waitForURL(/\/me\/portfolio\/\d+$/);
  const workId = author.url().match(/(\d+)$/)[1];
  await author.getByRole("heading", { name: title, level: 1 }).waitFor();
  // No review yet: the student's page has no peer review card.
  assert.equal(await author.locator(".peer-reviews").count(), 0);

  // The teacher picks a classmate; the first one without an account gets one
  // (setup: the admin's Users page is tested elsewhere).
  const teacher = await newPage(browser);
  await login(teacher, "teacher-001");
  await teacher.goto(`/portfolio/${workId}`);
  const peerCard = teacher.locator(".peer-reviews");
  await peerCard.getByRole("heading", { name: "Peer review" }).waitFor();
  await peerCard.getByText("No classmate has been asked yet.").waitFor();
  const pick = teacher.getByLabel("Ask a classmate to review");
  await teacher.waitForFunction(() => (document.querySelector("#peer-reviewer")?.options.length ?? 0) > 1);
  const options = await pick.locator("option").evaluateAll((os) => os.map((o) => ({ id: o.value, name: o.textContent.trim() })).filter((o) => o.id));
  assert.ok(!options.some((o) => o.id === "student-00001"), "the author is not offered as a reviewer");
  const admin = await newPage(browser);
  await login(admin, "admin");
  let classmate = null;
  for (const o of options) {
    const account = await apiPost(admin, "/api/v1/users", { person: o.id, username: o.id, password: PASSWORD });
    if (account.status === 201) {
      classmate = o;
      break;
    }
  }
  await admin.context().close();
  assert.ok(classmate, "a classmate without an account");
  assert.notEqual(classmate.name, authorName);
  await pick.selectOption(classmate.id);
  await teacher.getByLabel("Question for the reviewer (optional)").fill("Is the method clear?");
  await teacher.getByRole("button", { name: "Ask for a peer review" }).click();
  await teacher.getByRole("status").filter({ hasText: "Classmate asked to review this work." }).waitFor();
  const asked = peerCard.locator(".peer-list li", { hasText: classmate.name });
  await asked.filter({ hasText: "waiting for an answer" }).filter({ hasText: "Asked: Is the method clear?" }).waitFor();

  // The classmate answers, never seeing the author.
  const peer = await newPage(browser);
  await login(peer, classmate.id);
  await peer.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Peer reviews" }).click();
  await peer.waitForURL(/\/me\/reviews$/);
  await peer.getByRole("heading", { name: "Peer reviews", level: 1 }).waitFor();
  const link = peer.getByRole("link", { name: title });
  await link.waitFor();
  assert.ok(!(await peer.locator("main").innerText()).includes(authorName), "the list does not name the author");
  await link.click();
  await peer.getByRole("heading", { name: title, level: 1 }).waitFor();
  await peer.getByText(text).waitFor();
  await peer.getByText("Is the method clear?").waitFor();
  const page = await peer.locator("body").innerText();
  assert.ok(!page.includes(authorName), "the author's name is not shown");
  assert.ok(!page.includes("student-00001"), "the author's id is not shown");
  await peer.getByLabel("What works in this work?").fill(strength);
  await peer.getByLabel("One thing to improve").fill(suggestion);
  await peer.getByRole("button", { name: "Send feedback" }).click();
  await peer.getByRole("status").filter({ hasText: "your feedback was sent" }).waitFor();
  await peer.getByRole("heading", { name: "Your feedback" }).waitFor();
  assert.ok(!(await peer.locator("body").innerText()).includes(authorName), "still no author's name after answering");
  const violations = await axe(peer);
  assert.equal(violations.length, 0, formatViolations(violations));
  await peer.context().close();

  // The author reads "A classmate" and both answers, never the reviewer's name.
  await author.reload();
  const reviews = author.locator(".peer-reviews");
  await reviews.getByRole("heading", { name: "Peer review" }).waitFor();
  const answer = reviews.locator(".peer-list li", { hasText: strength });
  await answer.waitFor();
  assert.equal((await answer.locator("strong").first().innerText()).trim(), "A classmate");
  await answer.getByText(suggestion).waitFor();
  assert.ok(!(await author.locator("body").innerText()).includes(classmate.name), "the reviewer's name is hidden from the author");
  assert.equal(await author.getByLabel("Ask a classmate to review").count(), 0, "the student cannot assign reviews");

  // The teacher sees who answered, and what.
  await teacher.reload();
  const answered = teacher.locator('.peer-reviews .peer-list li[data-state="answered"]', { hasText: classmate.name });
  await answered.getByText(strength).waitFor();
  await answered.getByText(suggestion).waitFor();
  await author.context().close();
  await teacher.context().close();
});
