// Issue #15, the rest of student agency: an admin maps badges to course
// credit and graduation (a bad badge code is named on its requirement and
// nothing is saved), the student and their family see where the student
// stands; the district turns badge requests off and on; a teacher asks a
// classmate to review a piece of work, the classmate answers without seeing
// whose it is, and the author reads "A classmate" while the teacher sees who.
// Stamped names, so the file re-runs on the same database.
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

async function fillRequirement(page, i, values) {
  for (const [field, value] of Object.entries(values)) {
    const control = page.locator(`#req-${i}-${field}`);
    if (field === "kind") await control.selectOption(value);
    else await control.fill(value);
  }
}

test("an admin maps badges to credit; the student and family see the standing; requests can be turned off", { timeout: 120_000 }, async () => {
  const admin = await newPage(browser);
  await login(admin, "admin");
  await admin.goto("/admin/settings");
  await admin.getByRole("heading", { name: "Credit and graduation" }).waitFor();
  const before = await (await admin.request.get("/api/v1/settings/credit-map")).json();

  // Start from an empty map on a re-run.
  while ((await admin.getByRole("button", { name: /^Remove requirement/ }).count()) > 0) {
    await admin.getByRole("button", { name: /^Remove requirement/ }).first().click();
  }
  await admin.getByRole("button", { name: "Add a requirement" }).click();
  await fillRequirement(admin, 0, { title: "Algebra I", id: "algebra-1", badges: "M101, M102, Z999", min: "2", credits: "1" });
  await admin.getByRole("button", { name: "Add a requirement" }).click();
  await fillRequirement(admin, 1, { title: "Mathematics for graduation", id: "grad-math", kind: "graduation" });
  await fillRequirement(admin, 1, { from: "algebra-1", needed: "1" });
  await admin.getByRole("button", { name: "Save the credit map" }).click();
  await admin.locator('fieldset[data-row="0"] .field-errors li', { hasText: "badges[2]: no badge 'Z999'" }).waitFor();
  assert.deepEqual(await (await admin.request.get("/api/v1/settings/credit-map")).json(), before, "nothing saved");

  await fillRequirement(admin, 0, { badges: "M101, M102, M103, M104", min: "3" });
  await admin.getByRole("button", { name: "Save the credit map" }).click();
  await admin.getByRole("status").filter({ hasText: "Credit and graduation map saved." }).waitFor();
  const saved = await (await admin.request.get("/api/v1/settings/credit-map")).json();
  assert.deepEqual(saved.requirements.map((r) => r.id), ["algebra-1", "grad-math"]);
  const violations = await axe(admin);
  assert.equal(violations.length, 0, formatViolations(violations));

  // The demo student holds M101-M103: Algebra I is met, and so graduation math.
  const student = await newPage(browser);
  await login(student, "student-00001");
  await student.goto("/me/plan");
  const card = student.locator(".credit-progress");
  await card.locator('li[data-requirement="algebra-1"][data-met="yes"]', { hasText: "Met: 1 credit." }).waitFor();
  await card.locator('li[data-requirement="grad-math"][data-met="yes"]').waitFor();
  await student.goto("/me/conference");
  await student.getByRole("heading", { name: "Toward credit and graduation" }).waitFor();

  const guardian = await newPage(browser);
  await login(guardian, "guardian-00001");
  await guardian.goto("/students/student-00001/plan");
  await guardian.locator('.credit-progress li[data-requirement="algebra-1"]', { hasText: "Met: 1 credit." }).waitFor();
  await guardian.context().close();

  // Badge requests off: the student is told, and the form is gone; then on again.
  const requests = admin.locator("section", { has: admin.getByRole("heading", { name: "Badge requests" }) }).getByRole("checkbox");
  if (!(await requests.isChecked())) await requests.check();
  await requests.uncheck();
  await admin.getByRole("status").filter({ hasText: "Badge requests are turned off." }).waitFor();
  await student.goto("/me/plan");
  await student.getByText("Your district does not take requests for badges outside your classes.").waitFor();
  assert.equal(await student.getByRole("button", { name: "Ask a teacher" }).count(), 0);
  await requests.check();
  await admin.getByRole("status").filter({ hasText: "Students may request badges" }).waitFor();
  await student.reload();
  await student.getByRole("button", { name: "Ask a teacher" }).waitFor();
  await student.context().close();
  await admin.context().close();
});

test("a classmate reviews work without its author's name; the author reads 'A classmate'", { timeout: 120_000 }, async () => {
  const author = await newPage(browser);
  await login(author, "student-00001");
  const authorName = (await (await author.request.get("/api/v1/me")).json()).name ?? "";
  const made = await apiPost(author, "/api/v1/students/student-00001/submissions", {
    badge: "M101",
    title: `Two plans compared (${STAMP})`,
    text: `Plan A costs less under 4 GB (${STAMP}).`,
    tags: ["M101.1"],
    submit: true,
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const work = made.body;

  // The teacher picks a classmate who can sign in.
  const teacher = await newPage(browser);
  await login(teacher, "teacher-001");
  await teacher.goto(`/portfolio/${work.id}`);
  const pick = teacher.getByLabel("Ask a classmate to review");
  await teacher.waitForFunction(() => (document.querySelector("#peer-reviewer")?.options.length ?? 0) > 1);
  const options = await pick.locator("option").evaluateAll((os) => os.map((o) => ({ id: o.value, name: o.textContent })).filter((o) => o.id));
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
  await pick.selectOption(classmate.id);
  await teacher.getByLabel("Question for the reviewer (optional)").fill("Is the method clear?");
  await teacher.getByRole("button", { name: "Ask for a peer review" }).click();
  await teacher.getByRole("status").filter({ hasText: "Classmate asked to review this work." }).waitFor();
  await teacher.locator(".peer-list li", { hasText: classmate.name }).waitFor();

  // The classmate answers, never seeing the author.
  const peer = await newPage(browser);
  await login(peer, classmate.id);
  await peer.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Peer reviews" }).click();
  await peer.getByRole("link", { name: `Two plans compared (${STAMP})` }).click();
  await peer.getByText(`Plan A costs less under 4 GB (${STAMP}).`).waitFor();
  await peer.getByText("Is the method clear?").waitFor();
  assert.ok(authorName, "the author has a name");
  assert.equal(await peer.getByText(authorName).count(), 0, "the author's name is not shown");
  await peer.getByLabel("What works in this work?").fill(`The table makes it clear (${STAMP})`);
  await peer.getByLabel("One thing to improve").fill("Say which plan you would pick.");
  await peer.getByRole("button", { name: "Send feedback" }).click();
  await peer.getByRole("status").filter({ hasText: "your feedback was sent" }).waitFor();
  const violations = await axe(peer);
  assert.equal(violations.length, 0, formatViolations(violations));
  await peer.context().close();

  // The author reads "A classmate"; the teacher sees who.
  await author.goto(`/me/portfolio/${work.id}`);
  const reviews = author.locator(".peer-reviews");
  await reviews.locator("li", { hasText: `The table makes it clear (${STAMP})` }).waitFor();
  assert.ok((await reviews.innerText()).includes("A classmate"));
  assert.equal(await reviews.getByText(classmate.name).count(), 0, "the reviewer's name is hidden from the author");
  await teacher.reload();
  await teacher.locator(".peer-list li", { hasText: classmate.name }).filter({ hasText: "Say which plan you would pick." }).waitFor();
  await author.context().close();
  await teacher.context().close();
});
