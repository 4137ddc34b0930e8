// Verifiable credentials: the student's credentials page (baked PNG download,
// public link), the public verifier for a shared link without signing in, a
// tampered credential rejected with a reason, "Add to my wallet" (a QR code
// and the wallet link for a working exchange), and the read-only view of
// guardians and teachers.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BASE, launch, login, newPage, PHONE } from "./helpers.mjs";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const notAuthErrors = (errors) => errors.filter((e) => !/401/.test(e));
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

test("student downloads a baked badge, shares it, and anyone can verify it; a tampered copy fails", { timeout: 90_000 }, async () => {
  const page = await newPage(browser);
  await login(page, "student-00001");
  const me = await (await page.request.get("/api/v1/me")).json();
  const list = await (await page.request.get("/api/v1/students/student-00001/credentials")).json();
  const valid = list.credentials.filter((c) => c.status === "valid");
  assert.ok(valid.length > 0, "the demo student has a valid credential");
  const credential = valid[0];
  // The title may start with the badge code; pages show the code apart.
  const plainTitle = credential.title.startsWith(credential.badge + " ") ? credential.title.slice(credential.badge.length + 1) : credential.title;

  // My credentials, from the main navigation.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My credentials" }).click();
  await page.waitForURL(/\/me\/credentials$/);
  await page.getByRole("heading", { level: 1, name: "My credentials" }).waitFor();
  // The heading shows before the list has loaded: count once the cards are there.
  await page.locator("article.cred-card").first().waitFor();
  assert.equal(await page.locator("article.cred-card").count(), list.credentials.length);
  const card = page.locator(`article.cred-card[data-uuid="${credential.uuid}"]`);
  await card.getByRole("heading", { name: new RegExp(esc(plainTitle)) }).waitFor();
  await card.getByText("Valid", { exact: true }).waitFor();
  // The badge image loads (the baked SVG).
  await card.locator("img").evaluate((img) => (img.complete ? null : new Promise((r) => img.addEventListener("load", r, { once: true }))));
  assert.ok(await card.locator("img").evaluate((img) => img.naturalWidth > 0), "the badge image loaded");

  // The baked PNG downloads and is a PNG.
  const [download] = await Promise.all([page.waitForEvent("download"), card.getByRole("link", { name: /Baked PNG/ }).click()]);
  const bytes = readFileSync(await download.path());
  assert.ok(bytes.subarray(0, 8).equals(PNG_SIGNATURE), "the download starts with the PNG signature");
  assert.ok(bytes.length > 200);
  // The other downloads are offered too.
  for (const name of [/^SVG/, /^JSON/, /^JWT/]) await card.getByRole("link", { name }).waitFor();
  assert.equal(await page.getByRole("link", { name: /CLR transcript/ }).getAttribute("href"), list.clr);

  // Turn on the public link; the copyable link points at the public verifier.
  const toggle = card.getByRole("switch", { name: /Public link/ });
  if ((await toggle.getAttribute("aria-checked")) === "true") {
    await toggle.click();
    await card.locator('[role=switch][aria-checked="false"]').waitFor();
  }
  await toggle.click();
  await card.locator('[role=switch][aria-checked="true"]').waitFor();
  await card.getByRole("status").getByText(/Public link turned on/).waitFor();
  const link = await card.getByRole("textbox", { name: /Public link/ }).inputValue();
  assert.equal(link, `${BASE}/verify/${credential.uuid}`);
  await card.getByRole("button", { name: /Copy link/ }).click();
  await card.getByRole("status").getByText(/Link copied|Select the link/).waitFor();
  const after = await (await page.request.get("/api/v1/students/student-00001/credentials")).json();
  assert.equal(after.credentials.find((c) => c.uuid === credential.uuid).public, true, "the server keeps the public flag");
  // LinkedIn's "Add to profile": the badge, the district as issuer, the public page.
  const linkedin = new URL(await card.getByRole("link", { name: /Add to LinkedIn/ }).getAttribute("href"));
  assert.equal(linkedin.origin + linkedin.pathname, "https://www.linkedin.com/profile/add");
  assert.equal(linkedin.searchParams.get("startTask"), "CERTIFICATION_NAME");
  assert.equal(linkedin.searchParams.get("name"), credential.title);
  assert.equal(linkedin.searchParams.get("certUrl"), link);
  assert.equal(linkedin.searchParams.get("certId"), credential.uuid);
  assert.ok(linkedin.searchParams.get("organizationName"), "the issuer is named");
  assert.equal(linkedin.searchParams.get("issueYear"), String(new Date(credential.issued_at).getUTCFullYear()));

  // Anyone, signed out, on a phone: the shared link shows Valid and who earned what.
  const anon = await newPage(browser, PHONE);
  await anon.goto(`/verify/${credential.uuid}`);
  await anon.getByRole("heading", { level: 2, name: "Valid" }).waitFor();
  assert.ok(!anon.url().includes("/login"), "no sign-in needed");
  const report = anon.locator("article.verify-report");
  assert.equal(await report.getAttribute("data-status"), "valid");
  await report.getByText(me.name, { exact: false }).first().waitFor();
  await report.getByRole("heading", { name: new RegExp(esc(plainTitle)) }).waitFor();
  assert.ok((await report.locator(".checks li.check-ok").count()) > 0, "the checks are listed");
  assert.equal(await report.locator(".checks li.check-fail").count(), 0);

  // A tampered credential (achievement renamed) uploaded on /verify is not valid, with a reason.
  const json = await (await page.request.get(credential.links.json)).json();
  const tampered = structuredClone(json);
  tampered.credentialSubject.achievement.name = "Advanced quantum algebra";
  const dir = mkdtempSync(join(tmpdir(), "cairn-e2e-"));
  const file = join(dir, "tampered.json");
  writeFileSync(file, JSON.stringify(tampered, null, 2));
  await anon.goto("/verify");
  await anon.getByRole("heading", { level: 1, name: "Verify a credential" }).waitFor();
  await anon.locator("#verify-file").setInputFiles(file);
  await anon.locator("article.verify-report").waitFor();
  const status = await anon.locator("article.verify-report").getAttribute("data-status");
  assert.notEqual(status, "valid");
  await anon.getByRole("heading", { level: 2, name: /Not valid|Could not be checked/ }).waitFor();
  assert.ok((await anon.locator(".verdict-reason").innerText()).length > 5, "a reason is given");
  assert.ok((await anon.locator(".checks li.check-fail").count()) > 0, "the failing check is listed");

  // The untouched credential pasted as JSON verifies.
  await anon.getByRole("button", { name: "Clear" }).click();
  await anon.getByLabel("Or paste a credential (JSON or JWT)").fill(JSON.stringify(json));
  await anon.getByRole("button", { name: "Verify" }).click();
  await anon.getByRole("heading", { level: 2, name: "Valid" }).waitFor();

  // Sharing off: the public link stops working.
  await toggle.click();
  await card.locator('[role=switch][aria-checked="false"]').waitFor();
  await anon.goto(`/verify/${credential.uuid}`);
  await anon.getByText(/not shared publicly/).waitFor();

  assert.deepEqual(notAuthErrors(page.consoleErrors), []);
  assert.deepEqual(notAuthErrors(anon.consoleErrors).filter((e) => !/404/.test(e)), []);
  await anon.context().close();
  await page.context().close();
});

test("student adds a credential to a wallet: a QR code and a link to a live exchange", { timeout: 60_000 }, async () => {
  const page = await newPage(browser);
  await login(page, "student-00001");
  const list = await (await page.request.get("/api/v1/students/student-00001/credentials")).json();
  const credential = list.credentials.find((c) => c.status === "valid");
  assert.ok(credential, "the demo student has a valid credential");
  await page.goto("/me/credentials");
  const card = page.locator(`article.cred-card[data-uuid="${credential.uuid}"]`);
  await card.getByRole("button", { name: /Add to my wallet/ }).click();
  const offer = card.locator("section.cred-wallet-offer");
  await offer.getByRole("heading", { name: "Add it to your wallet app" }).waitFor();
  const qr = offer.getByRole("img", { name: "QR code for your wallet app" });
  await qr.evaluate((img) => (img.complete ? null : new Promise((r) => img.addEventListener("load", r, { once: true }))));
  assert.ok(await qr.evaluate((img) => img.naturalWidth > 0), "the QR code renders");
  const link = await offer.getByRole("link", { name: /Open it in the wallet app/ }).getAttribute("href");
  assert.match(link, /^https:\/\/lcw\.app\/request\.html\?request=/);
  const interaction = JSON.parse(decodeURIComponent(link.split("request=")[1]));
  const exchange = await offer.getAttribute("data-exchange");
  assert.equal(interaction.protocols.vcapi, exchange);
  await offer.getByText(/works once, until/).waitFor();
  // The exchange the link names answers a wallet (no cookie needed).
  const path = new URL(exchange).pathname;
  const anon = await browser.newContext({ baseURL: BASE });
  const answer = await anon.request.post(path, { data: {} });
  assert.equal(answer.status(), 200);
  assert.equal((await answer.json()).verifiablePresentationRequest.query[0].type, "DIDAuthentication");
  await anon.close();
  await offer.getByRole("button", { name: "Done" }).click();
  await card.getByRole("button", { name: /Add to my wallet/ }).waitFor();
  assert.deepEqual(notAuthErrors(page.consoleErrors), []);
  await page.context().close();
});

for (const user of ["guardian-00001", "teacher-001"]) {
  test(`${user.split("-")[0]} sees a student's credentials read-only from the student page`, { timeout: 60_000 }, async () => {
    const page = await newPage(browser);
    await login(page, user);
    const me = await (await page.request.get("/api/v1/me")).json();
    const student = me.role === "guardian" ? me.students[0] : { id: "student-00001" };
    const info = await (await page.request.get(`/api/v1/students/${student.id}`)).json();
    await page.goto(`/students/${student.id}`);
    await page.getByRole("link", { name: /^Credentials/ }).click();
    await page.waitForURL(new RegExp(`/students/${student.id}/credentials$`));
    await page.getByRole("heading", { level: 1, name: `${info.name}'s credentials` }).waitFor();
    await page.locator("article.cred-card, .empty").first().waitFor();
    assert.equal(await page.getByRole("switch").count(), 0, "no sharing controls");
    assert.equal(await page.getByRole("button", { name: /Add to my wallet/ }).count(), 0, "no wallet offers");
    assert.deepEqual(notAuthErrors(page.consoleErrors), []);
    await page.context().close();
  });
}
