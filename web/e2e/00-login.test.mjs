// Sign-in: the server's messages, throttling, a reload keeping the session
// (and its CSRF token), and signing out.
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

test("sign-in shows the server's errors, including the 429 after repeated failures", { timeout: 60_000 }, async () => {
  const page = await newPage(browser);
  await page.goto("/");
  await page.waitForURL(/\/login/);
  await page.getByRole("heading", { name: "Sign in", level: 1 }).waitFor();
  // A first visit is not an expired session.
  assert.equal(await page.getByText("Your session ended").count(), 0);

  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").filter({ hasText: "Enter your username and password." }).waitFor();

  const user = `nobody-${Date.now()}`;
  await page.getByLabel("Username").fill(user);
  let sawThrottle = false;
  for (let i = 0; i < 7 && !sawThrottle; i++) {
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    // The form clears the password when the server answers with an error.
    await page.waitForFunction(() => document.querySelector("#password")?.value === "");
    const alert = page.getByRole("alert");
    const text = await alert.innerText();
    if (/too many failed sign-ins/i.test(text)) {
      sawThrottle = true;
      assert.match(text, /Sign-in paused/);
      assert.match(text, /try again in 15 minutes/);
    } else {
      assert.match(text, /The username or password is incorrect/);
    }
  }
  assert.ok(sawThrottle, "the server throttles after repeated failures");
  await page.context().close();
});

test("a reload keeps the session and its CSRF token; sign out ends it", { timeout: 60_000 }, async () => {
  const page = await newPage(browser);
  await login(page, "teacher-001");
  await page.goto("/awards");
  await page.getByRole("heading", { name: "Pending awards", level: 1 }).waitFor();
  await page.reload();
  await page.getByRole("heading", { name: "Pending awards", level: 1 }).waitFor();
  // Sign out is a POST: it only works with the CSRF token recovered from /api/v1/me.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/login$/);
  assert.equal((await page.request.get("/api/v1/me")).status(), 401);
  // Deep links come back after signing in.
  await page.goto("/sections/section-1-geo-1?badge=M152");
  await page.waitForURL(/\/login\?next=/);
  await page.getByLabel("Username").fill("teacher-001");
  await page.getByLabel("Password").fill("cairn-demo-2026");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/sections\/section-1-geo-1\?badge=M152$/);
  await page.getByRole("grid", { name: /^M152 / }).waitFor();
  await page.context().close();
});

test("the app runs under its strict content security policy, with no violation", { timeout: 60_000 }, async () => {
  const page = await newPage(browser);
  const violations = [];
  page.on("console", (msg) => {
    if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
  });
  const response = await page.goto("/");
  const csp = response.headers()["content-security-policy"] ?? "";
  assert.match(csp, /script-src 'self'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal(response.headers()["referrer-policy"], "no-referrer");
  await page.evaluate(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(e.violatedDirective));
  });
  await login(page, "teacher-001");
  await page.waitForLoadState("networkidle");
  assert.deepEqual(violations, []);
  assert.deepEqual(await page.evaluate(() => window.__cspViolations ?? []), []);
  // Student records are not kept in the browser's cache.
  const me = await page.request.get("/api/v1/me");
  assert.equal(me.headers()["cache-control"], "no-store");
  await page.close();
});
