// Email through a real SMTP server: scripts/e2e.sh starts a local one
// (Debian's python3-aiosmtpd) that keeps every message in a maildir
// ($CAIRN_MAILDIR), and serves Cairn with --smtp-url pointing at it. A
// teacher asks for a revision; the student's email is read back from the
// maildir, its link opens the work, and its "stop these emails" link turns
// email off without signing in. The in-app feed shows the same news.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { apiPost, apiPut, axe, BASE, formatViolations, launch, login, newPage, PHONE } from "./helpers.mjs";

const MAILDIR = process.env.CAIRN_MAILDIR;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Messages in the maildir whose raw text includes `needle`, waiting up to `ms`. */
async function waitForMail(needle, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = [];
    for (const box of ["new", "cur"]) {
      let names = [];
      try {
        names = readdirSync(join(MAILDIR, box));
      } catch {
        continue;
      }
      for (const name of names) {
        const raw = readFileSync(join(MAILDIR, box, name), "utf8");
        if (raw.includes(needle)) found.push(raw);
      }
    }
    if (found.length || Date.now() > deadline) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
}

test("a revision request reaches the student by email; its links open the work and stop email", { skip: !MAILDIR && "no SMTP sink (run through scripts/e2e.sh)", timeout: 120_000 }, async () => {
  const student = await newPage(browser, PHONE);
  await login(student, "student-00001");
  const reset = await apiPut(student, "/api/v1/me/preferences", { email: "immediate", language: null });
  assert.equal(reset.status, 200, JSON.stringify(reset.body));

  const title = `Rates of change ${Date.now()}`;
  const created = await apiPost(student, "/api/v1/students/student-00001/submissions", {
    badge: "M101",
    title,
    text: "Table of values and the rate between each pair.",
    tags: [{ cpe: "M101.1" }],
    submit: true,
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;

  const teacher = await newPage(browser);
  await login(teacher, "teacher-001");
  const words = `Label the units on both axes (${id}).`;
  const asked = await apiPost(teacher, `/api/v1/submissions/${id}/actions`, { kind: "request_revision", message: words });
  assert.equal(asked.status, 201, JSON.stringify(asked.body));
  await teacher.context().close();

  // Read back from the SMTP server.
  const mails = await waitForMail(words);
  assert.equal(mails.length, 1, `expected one email with the teacher's words, found ${mails.length}`);
  const raw = mails[0];
  assert.match(raw, /^To: <student-00001@[^>]+>/m);
  assert.match(raw, /^List-Unsubscribe: <[^>]+\/api\/v1\/unsubscribe\?token=/m);
  const workLink = raw.match(/^Open Cairn: (\S+)/m)?.[1];
  assert.ok(workLink, `no link to the work in:\n${raw}`);
  assert.equal(new URL(workLink).pathname, `/me/portfolio/${id}`);
  const stopLink = raw.match(/^To stop these emails: (\S+)/m)?.[1];
  assert.ok(stopLink, `no unsubscribe link in:\n${raw}`);

  // The email's link opens the piece of work, with the teacher's words.
  await student.goto(BASE + new URL(workLink).pathname);
  await student.getByRole("heading", { name: title }).waitFor();
  await student.getByText(words).first().waitFor();

  // The in-app feed has it too, behind the bell.
  await student.goto("/me");
  await student.getByRole("link", { name: /^Notifications, \d+ new$/ }).click();
  await student.getByRole("heading", { name: "Notifications", level: 1 }).waitFor();
  await student.getByRole("link", { name: `asked you to revise “${title}”`, exact: false }).waitFor();
  await student.getByRole("button", { name: "Mark all as read" }).click();
  await student.getByRole("link", { name: "Notifications", exact: true }).waitFor();
  const violations = await axe(student);
  assert.equal(violations.length, 0, formatViolations(violations));

  // "Stop these emails": one link, no sign-in.
  const stranger = await newPage(browser, PHONE);
  await stranger.goto(BASE + new URL(stopLink).pathname + new URL(stopLink).search);
  await stranger.getByText("Cairn will not email you any more").waitFor();
  await stranger.context().close();
  const prefs = await (await student.request.get("/api/v1/me/preferences")).json();
  assert.equal(prefs.email, "off");

  // Back on for the tests that follow.
  const on = await apiPut(student, "/api/v1/me/preferences", { email: "immediate" });
  assert.equal(on.status, 200);
  await student.context().close();
});
