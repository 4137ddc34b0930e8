// Admin: edit the catalog, see validation errors, manage accounts and settings.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch, login, newPage } from "./helpers.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("admin edits a badge title in the catalog editor and it survives a reload", { timeout: 60_000 }, async () => {
  const page = await newPage(browser);
  await login(page, "admin");
  await page.waitForURL(/\/admin\/catalog/);
  await page.getByRole("heading", { name: "Catalog", level: 1 }).waitFor();
  const before = await (await page.request.get("/api/v1/catalog")).json();
  const badge = before.badges.find((b) => b.code === "M213");
  const index = before.badges.indexOf(badge);

  const nav = page.getByRole("navigation", { name: "Catalog parts" });
  await nav.getByRole("button", { name: /M213/ }).click();
  const title = page.getByLabel("Title", { exact: true });
  assert.equal(await title.inputValue(), badge.title);

  // A server validation error names the JSON path, next to the field.
  await title.fill("");
  await page.getByRole("button", { name: "Save catalog" }).click();
  const alert = page.getByRole("alert").filter({ hasText: "The catalog was not saved" });
  await alert.waitFor();
  assert.match(await alert.innerText(), new RegExp(`\\$\\.badges\\[${index}\\]\\.title`));
  assert.match(await alert.innerText(), /must not be empty/);
  await page.locator("#badge-title-err").filter({ hasText: "must not be empty" }).waitFor();

  const newTitle = `Bayesian Reasoning, edited ${Date.now()}`;
  await title.fill(newTitle);
  await page.getByRole("button", { name: "Save catalog" }).click();
  await page.getByRole("status").filter({ hasText: /Saved\. Catalog version \d+ is now in force/ }).waitFor();
  const after = await (await page.request.get("/api/v1/catalog")).json();
  assert.equal(after.catalog_version, before.catalog_version + 1);

  await page.reload();
  await nav.getByRole("button", { name: /M213/ }).click();
  assert.equal(await page.getByLabel("Title", { exact: true }).inputValue(), newTitle);
  await nav.getByRole("button", { name: new RegExp(newTitle) }).waitFor();

  // Scale level labels are editable too (then put back).
  await nav.getByRole("button", { name: "Scales and levels" }).click();
  const label = page.getByLabel("Label of level emerging (mastery-4)");
  assert.equal(await label.inputValue(), "Emerging");
  await label.fill("Developing");
  await page.getByText("You have unsaved changes.").waitFor();
  await page.getByRole("button", { name: "Discard changes" }).click();
  assert.equal(await label.inputValue(), "Emerging");

  // Pathways: rename one and reorder its badges; an unknown code is refused
  // with its JSON path.
  await nav.getByRole("button", { name: "Pathways" }).click();
  const pathwayTitle = page.getByLabel("Title of pathway algebra-1");
  const badges = page.getByLabel("Badges of pathway algebra-1, in order");
  assert.equal(await badges.inputValue(), "M101 M102 M103 M104");
  await badges.fill("M101 M102 M199");
  await page.getByRole("button", { name: "Save catalog" }).click();
  await page.getByRole("alert").filter({ hasText: /\$\.pathways\[0\]\.badges\[2\]/ }).waitFor();
  await badges.fill("M101, M102, M104, M103");
  await pathwayTitle.fill("Algebra I (district order)");
  await page.getByRole("button", { name: "Save catalog" }).click();
  await page.getByRole("status").filter({ hasText: /Saved\. Catalog version \d+ is now in force/ }).waitFor();
  const saved = await (await page.request.get("/api/v1/catalog")).json();
  const algebra = saved.pathways.find((p) => p.id === "algebra-1");
  assert.equal(algebra.title, "Algebra I (district order)");
  assert.deepEqual(algebra.badges, ["M101", "M102", "M104", "M103"]);
  await page.context().close();
});

test("admin creates an account, resets its password, and the person signs in", { timeout: 60_000 }, async () => {
  const page = await newPage(browser);
  await login(page, "admin");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();

  // The server's own message shows next to the field it names.
  await page.getByLabel("Person (roster id)").fill("guardian-99999");
  await page.getByLabel("Username", { exact: true }).fill("nobody-here");
  await page.getByLabel("Password", { exact: true }).fill("long-enough-password");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.locator(".field-error").filter({ hasText: "No person 'guardian-99999'" }).waitFor();

  // guardian-00002 on a fresh demo; the next guardian without an account on a reused one.
  const accounts = await (await page.request.get("/api/v1/users")).json();
  const taken = new Set(accounts.map((a) => a.person?.id));
  let n = 2;
  while (taken.has(`guardian-${String(n).padStart(5, "0")}`)) n++;
  const person = `guardian-${String(n).padStart(5, "0")}`;
  const username = `family-${Date.now()}`;
  await page.getByLabel("Person (roster id)").fill(person);
  await page.getByLabel("Username", { exact: true }).fill(username);
  await page.getByLabel("Password", { exact: true }).fill("first-password-2026");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("status").filter({ hasText: `Account ${username} created` }).waitFor();
  const row = page.locator(`tr[data-username="${username}"]`);
  await row.waitFor();

  await row.getByRole("button", { name: `Reset password for ${username}` }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("New password").fill("short");
  await dialog.getByRole("button", { name: "Set new password" }).click();
  await dialog.getByText("Use at least 10 characters.").waitFor();
  await dialog.getByLabel("New password").fill("second-password-2026");
  await dialog.getByRole("button", { name: "Set new password" }).click();
  await page.getByRole("status").filter({ hasText: `Password for ${username} was reset` }).waitFor();

  // The new person signs in, in a context of their own.
  const guardian = await newPage(browser);
  await guardian.goto("/login");
  await guardian.getByLabel("Username").fill(username);
  await guardian.getByLabel("Password").fill("first-password-2026");
  await guardian.getByRole("button", { name: "Sign in" }).click();
  await guardian.getByRole("alert").filter({ hasText: "The username or password is incorrect" }).waitFor();
  await login(guardian, username, "second-password-2026");
  await guardian.getByRole("heading", { name: "My children", level: 1 }).waitFor();
  const me = await (await guardian.request.get("/api/v1/me")).json();
  assert.equal(me.id, person);
  assert.equal(me.role, "guardian");
  await guardian.getByRole("link", { name: me.students[0].name, exact: true }).waitFor();
  await guardian.getByRole("button", { name: "Sign out" }).click();
  await guardian.waitForURL(/\/login/);
  assert.equal((await guardian.request.get("/api/v1/me")).status(), 401);
  await guardian.context().close();
  await page.context().close();
});

test("admin changes the calculation method and puts it back", { timeout: 60_000 }, async () => {
  const page = await newPage(browser);
  await login(page, "admin");
  await page.goto("/admin/settings");
  const method = page.getByLabel("Method");
  await method.waitFor();
  const original = await method.inputValue();
  await method.selectOption("mean_of_recent");
  await page.getByLabel("n (number of scores)").fill("4");
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByRole("status").filter({ hasText: "Settings saved" }).waitFor();
  const saved = await (await page.request.get("/api/v1/settings")).json();
  assert.equal(saved.calculation.method, "mean_of_recent");
  assert.equal(saved.calculation.n, 4);
  await page.reload();
  assert.equal(await page.getByLabel("Method").inputValue(), "mean_of_recent");
  await page.getByLabel("Method").selectOption(original);
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByRole("status").filter({ hasText: "Settings saved" }).waitFor();
  assert.equal((await (await page.request.get("/api/v1/settings")).json()).calculation.method, original);
  await page.context().close();
});
