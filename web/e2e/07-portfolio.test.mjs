// Portfolio: a student uploads a photo and typed work and submits it; the
// teacher gives anchored feedback and asks for a revision; the student
// revises; the teacher compares the versions, accepts and rates a CPE; the
// student sees the rating and shares the work; the family sees it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch, login, newPage, shot, PHONE } from "./helpers.mjs";

// A 240×160 checkerboard PNG.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAPAAAACgCAIAAAC9uXYyAAACPElEQVR42u3bsQkAIBAEQcuxCPvHcoyNrOATwcQbMB+439S297p+fczrx+W+cJuhuYI2NFfQDswVNJcraK6gDc0VtKG5gnZgrqC5XEFzBW1orqANzRU0lytoLlfQXEEbmitoQ3MFzeUKmsstgzYW9ydX0FxBG5oraAfmCprLFTRX0IbmCtrQXEE7MFfQXK6guYI2NFfQhuYK2oG5guZyBc0VtKG5gjY0V9BcrqC53DpoY3H9+jY0V9AOzBU0lytorqANzRW0obmCdmCuoLlcQXMFbWiuoA3NFTSXK2guV9BcQRuaK2hDcwXN5QqayxU0NyNoY3H9+jY0V9AOzBU0lytorqANzRW0obmCdmCuoLlcQXMFbWiuoA3NFTSXK2guV9BcQRuaK2hDcwXN5QqayxU0NyNoY3H9+jY0V9AOzBU0lytorqANzRW0obmCdmCuoLlcQXMFbWiuoA3NFTSXK2guV9BcQRuaK2hDcwXN5QqayxU0NyNoY3H9+jY0V9AOzBU0lytorqANzRW0obmCdmCuoLlcQXMFbWiuoA3NFTSXK2guV9BcQRuaK2hDcwXN5QqayxU0NyNoY3H9+jY0V9AOzBU0lytorqANzRW0obmCdmCuoLlcQXMFbWiuoA3NFTSXK2guV9BcQRuaK2hDcwXN5QqayxU0NyNoY3H9+jY0V9AOzBU0lytorqANzRW0obmCdmCuoLlcQXMFbWiuoA3NFTSXK2guV9BcQRuaK2hDcwXN5QqayxU0N8I9LmzB0Smqd2UAAAAASUVORK5CYII=",
  "base64",
);
const STAMP = Date.now();
const TITLE = `Phone plan comparison ${STAMP}`;
const FEEDBACK = `Label the axes on this graph (${STAMP}).`;
const REVISION = `Explain which plan is cheaper after 6 months, and why (${STAMP}).`;
const ADDED = `After 6 months plan B is cheaper because its monthly rate is lower (${STAMP}).`;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function chip(page) {
  return (await page.locator(".page-header .sub-chip").innerText()).trim();
}

test("portfolio: submit with a photo, feedback, revision, compare, accept, rate, share", { timeout: 160_000 }, async () => {
  // --- Student: new evidence with a PNG and typed work, submitted.
  const student = await newPage(browser);
  await login(student, "student-00001");
  await student.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My portfolio" }).click();
  await student.getByRole("heading", { name: "My portfolio", level: 1 }).waitFor();
  const zip = student.getByRole("link", { name: "Download my portfolio (.zip)" });
  assert.equal(await zip.getAttribute("href"), "/api/v1/students/student-00001/portfolio.zip");
  const zipped = await student.request.get("/api/v1/students/student-00001/portfolio.zip");
  if (zipped.status() !== 404) {
    assert.equal(zipped.status(), 200);
    assert.equal((await zipped.body()).subarray(0, 2).toString("latin1"), "PK");
  }
  await student.getByRole("link", { name: "New evidence" }).click();
  await student.getByRole("heading", { name: "New evidence", level: 1 }).waitFor();

  // Missing details are named before anything is sent.
  await student.getByRole("button", { name: "Submit to my teacher" }).click();
  await student.getByRole("alert").filter({ hasText: "Some details are missing" }).waitFor();

  await student.getByLabel("Badge").selectOption("M101");
  await student.getByLabel("Title").fill(TITLE);
  await student.getByRole("checkbox", { name: /M101\.1/ }).check();
  const picker = student.locator('input[type=file][multiple]');
  // An unsupported file is refused with a message naming it.
  await picker.setInputFiles({ name: "scan.exe", mimeType: "application/octet-stream", buffer: Buffer.from("MZ\x90\x00\x03\x00\x00\x00", "binary") });
  const refused = student.locator(".upload-item[data-status=error]");
  await refused.waitFor();
  assert.match(await refused.innerText(), /scan\.exe: /);
  await refused.getByRole("button", { name: /Dismiss/ }).click();
  await picker.setInputFiles({ name: "graph.png", mimeType: "image/png", buffer: PNG });
  await student.locator(".upload-item[data-status=done]").filter({ hasText: "graph.png" }).waitFor();
  await student.getByLabel("Typed work").fill("Plan A: $20 a month plus $5 per GB.\nPlan B: $30 a month, unlimited.");
  await student.getByLabel("Reflection (optional)").fill("I made a table first, then the graph.");
  await shot(student, "portfolio-new-laptop");
  await student.getByRole("button", { name: "Submit to my teacher" }).click();
  await student.waitForURL(/\/me\/portfolio\/\d+$/);
  const id = student.url().match(/(\d+)$/)[1];
  await student.getByRole("heading", { name: TITLE, level: 1 }).waitFor();
  assert.equal(await chip(student), "Submitted");
  await student.locator(".stage-frame img").waitFor();

  // --- Teacher: the review queue, feedback anchored to an area, a revision request.
  const teacher = await newPage(browser);
  await login(teacher, "teacher-001");
  await teacher.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Review queue" }).click();
  await teacher.getByRole("heading", { name: "Review queue", level: 1 }).waitFor();
  await teacher.getByLabel("Badge").selectOption("M101");
  const row = teacher.locator(`li.sub-item[data-submission="${id}"]`);
  await row.waitFor();
  await row.getByRole("link", { name: TITLE }).click();
  await teacher.waitForURL(new RegExp(`/portfolio/${id}$`));
  await teacher.getByRole("heading", { name: TITLE, level: 1 }).waitFor();
  await teacher.getByRole("button", { name: "Start review" }).click();
  await teacher.locator(".page-header .sub-chip", { hasText: "In review" }).waitFor();

  await teacher.getByLabel("Feedback", { exact: true }).fill(FEEDBACK);
  await teacher.getByRole("button", { name: "Mark an area" }).click();
  const frame = teacher.locator(".stage-frame");
  const box = await frame.boundingBox();
  await teacher.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.25);
  await teacher.mouse.down();
  await teacher.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 5 });
  await teacher.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.7, { steps: 5 });
  await teacher.mouse.up();
  await teacher.getByText("Area marked on graph.png").waitFor();
  await teacher.getByRole("button", { name: "Add feedback" }).click();
  await teacher.locator(".thread-feedback", { hasText: FEEDBACK }).waitFor();
  await frame.locator(".anchor-box:not(.anchor-new)").first().waitFor();
  assert.equal(await frame.locator(".anchor-box .anchor-num").first().innerText(), "1");

  await teacher.getByLabel("Ask for a revision").fill(REVISION);
  await shot(teacher, "portfolio-review-laptop");
  await teacher.getByRole("button", { name: "Request revision" }).click();
  await teacher.locator(".page-header .sub-chip", { hasText: "Revision requested" }).waitFor();

  // --- Student: sees the request and the anchored feedback; revises and resubmits.
  await student.reload();
  const notice = student.getByRole("region", { name: "Revision requested" });
  await notice.waitFor();
  assert.match(await notice.innerText(), new RegExp(REVISION.replace(/[()$]/g, "\\$&")));
  await student.locator(".thread-feedback", { hasText: FEEDBACK }).waitFor();
  await student.locator(".stage-frame .anchor-box").first().waitFor();
  await notice.getByRole("button", { name: "Revise" }).click();
  const typed = student.getByLabel("Typed work");
  assert.match(await typed.inputValue(), /Plan B: \$30 a month/);
  await typed.fill((await typed.inputValue()) + "\n" + ADDED);
  // The photo from version 1 is kept.
  await student.locator(".upload-item", { hasText: "graph.png" }).waitFor();
  await student.getByRole("button", { name: "Submit the new version" }).click();
  await student.locator(".page-header .sub-chip", { hasText: "Submitted" }).waitFor();
  await student.getByRole("status").filter({ hasText: "Version 2 submitted" }).waitFor();

  // --- Teacher: compare versions, accept, rate the tagged CPE.
  await teacher.reload();
  await teacher.locator(".page-header .sub-chip", { hasText: "Submitted" }).waitFor();
  await teacher.getByRole("button", { name: "Compare versions" }).click();
  const added = teacher.locator(".diff li.diff-add", { hasText: ADDED });
  await added.waitFor();
  assert.equal(await teacher.locator(".compare-col").count(), 2);
  await shot(teacher, "portfolio-compare-laptop");
  await teacher.getByRole("button", { name: "Accept this work" }).click();
  await teacher.locator(".page-header .sub-chip", { hasText: "Accepted" }).waitFor();
  await teacher.getByLabel(/^M101\.1/).selectOption("proficient");
  // The teacher's choice of evidence kind is what the ledger keeps.
  assert.equal(await teacher.getByLabel("Kind of evidence").inputValue(), "portfolio_item");
  await teacher.getByLabel("Kind of evidence").selectOption("performance_task");
  await teacher.getByRole("button", { name: "Record ratings" }).click();
  await teacher.getByRole("status").filter({ hasText: "Recorded 1 rating from version 2" }).waitFor();
  const ledger = await (await teacher.request.get("/api/v1/students/student-00001/evidence")).json();
  const fromWork = ledger.filter((e) => e.cpe === "M101.1" && e.artifact_ref.startsWith("submission:")).sort((a, b) => b.id - a.id)[0];
  assert.equal(fromWork.kind, "performance_task");
  await teacher.locator(".rating-list li[data-cpe='M101.1']", { hasText: "Proficient" }).waitFor();

  // --- Student: accepted, with the rating; shares it with the family.
  await student.reload();
  assert.equal(await chip(student), "Accepted");
  await student.locator(".rating-list li[data-cpe='M101.1']", { hasText: "Proficient" }).waitFor();
  const share = student.getByRole("button", { name: /Share with my family/ });
  assert.equal(await share.getAttribute("aria-pressed"), "false");
  await share.click();
  await student.getByRole("status").filter({ hasText: "Shared with your family" }).waitFor();
  assert.equal(await share.getAttribute("aria-pressed"), "true");
  // The student cannot consent when a guardian is linked: the page says who decides.
  await student.getByRole("button", { name: /anonymous example/ }).click();
  await student.getByText("A parent or guardian decides this for you").waitFor();
  // The list shows the state.
  await student.getByRole("link", { name: "My portfolio" }).first().click();
  await student.locator(`li.sub-item[data-submission="${id}"][data-state=accepted]`).waitFor();

  // --- Family: sees the shared work, read-only.
  const guardian = await newPage(browser, PHONE);
  await login(guardian, "guardian-00001");
  const shared = guardian.locator(".shared-card[data-student=student-00001]");
  await shared.getByRole("link", { name: TITLE }).click();
  await guardian.getByRole("heading", { name: TITLE, level: 1 }).waitFor();
  assert.equal(await chip(guardian), "Accepted");
  await guardian.locator(".thread-feedback", { hasText: FEEDBACK }).waitFor();
  assert.equal(await guardian.getByRole("button", { name: /Revise/ }).count(), 0);
  assert.equal(await guardian.getByRole("button", { name: "Accept this work" }).count(), 0);
  await shot(guardian, "portfolio-guardian-phone");

  for (const p of [student, teacher, guardian]) {
    assert.deepEqual(p.consoleErrors.filter((e) => !/401|403|415|400/.test(e)), [], "console errors");
    await p.context().close();
  }
});
