// A student's home page leads with what needs them: a revision their teacher
// asked for (with the teacher's words), then recent feedback.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { apiPost, axe, formatViolations, launch, login, newPage, PHONE } from "./helpers.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("a revision request is the first thing the student sees, and leads to the work", { timeout: 90_000 }, async () => {
  const student = await newPage(browser, PHONE);
  await login(student, "student-00001");
  const title = `Slope triangles ${Date.now()}`;
  const created = await apiPost(student, "/api/v1/students/student-00001/submissions", {
    badge: "M101",
    title,
    text: "My working for the slope problems.",
    reflection: "I was unsure about negative slopes.",
    tags: [{ cpe: "M101.1" }],
    submit: true,
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;

  const teacher = await newPage(browser);
  await login(teacher, "teacher-001");
  const asked = await apiPost(teacher, `/api/v1/submissions/${id}/actions`, { kind: "request_revision", message: "Show how you found the rise." });
  assert.equal(asked.status, 201, JSON.stringify(asked.body));
  await teacher.context().close();

  await student.goto("/me");
  const card = student.getByRole("region", { name: "Needs your attention" });
  await card.waitFor();
  const link = card.getByRole("link", { name: `Revise “${title}”` });
  await link.waitFor();
  assert.match(await card.textContent(), /Your teacher asked: Show how you found the rise\./);
  const { inner, scroll } = await student.evaluate(() => ({ inner: window.innerWidth, scroll: document.documentElement.scrollWidth }));
  assert.ok(scroll <= inner, `the page is ${scroll}px wide on a ${inner}px screen`);
  const violations = await axe(student);
  assert.equal(violations.length, 0, formatViolations(violations));
  await link.click();
  await student.waitForURL(new RegExp(`/me/portfolio/${id}$`));
  await student.getByRole("heading", { name: title, level: 1 }).waitFor();
  await student.context().close();
});
