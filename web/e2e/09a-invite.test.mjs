// Sign-in for imported people (issue #11): an administrator invites the
// teachers from the Sign-in page; one of them opens their link, chooses a
// username and password, lands on their sections, and the link then works no
// more. Runs before the roster import (10-roster), on the demo district.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch, login, newPage, PASSWORD } from "./helpers.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("an invited teacher sets up their sign-in from the link, once", { timeout: 120_000 }, async () => {
  const admin = await newPage(browser);
  await login(admin, "admin");
  await admin.goto("/admin/sign-in");
  const teacherRow = admin.locator('#sign-in-roles tr[data-role="teacher"]');
  await teacherRow.waitFor();
  assert.equal(await teacherRow.getByRole("checkbox").isChecked(), true, "the demo lets teachers sign in");
  await admin.getByLabel("Role", { exact: true }).selectOption("teacher");
  await admin.getByRole("button", { name: "Create invitation links" }).click();
  const links = admin.locator("#invitation-links");
  await links.waitFor();
  const first = links.locator("li").first();
  const person = await first.getAttribute("data-person");
  const url = await first.locator("input").inputValue();
  assert.match(url, /\/invite#[A-Za-z0-9_-]{20,}$/);
  const token = url.slice(url.indexOf("#") + 1);
  assert.deepEqual(admin.consoleErrors.filter((e) => !/401/.test(e)), []);

  const teacher = await newPage(browser);
  await teacher.goto(`/invite#${token}`);
  await teacher.locator("#invitee").waitFor();
  assert.match(await teacher.locator("#invitee").innerText(), /invited as Teacher/);
  // The secret leaves the address bar once read.
  assert.equal(new URL(teacher.url()).hash, "");
  const username = `invited-${person}`;
  await teacher.getByLabel("Username").fill(username);
  await teacher.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await teacher.getByLabel("Password again").fill(PASSWORD + "x");
  await teacher.getByRole("button", { name: "Create my sign-in" }).click();
  await teacher.getByText("The two passwords are not the same.").waitFor();
  await teacher.getByLabel("Password again").fill(PASSWORD);
  await teacher.getByRole("button", { name: "Create my sign-in" }).click();
  await teacher.waitForURL(/\/sections$/);
  await teacher.getByRole("button", { name: "Sign out" }).waitFor();
  assert.deepEqual(teacher.consoleErrors.filter((e) => !/401/.test(e)), []);

  // Used: the same link is refused in words; the new password works.
  const again = await newPage(browser);
  await again.goto(`/invite#${token}`);
  await again.getByText("no longer valid").waitFor();
  await login(again, username);

  await admin.reload();
  const used = admin.locator("#invitations-table tr", { hasText: person }).first();
  await used.getByText("used").waitFor();
});
