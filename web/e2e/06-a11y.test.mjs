// Accessibility: axe-core on every main page (no serious or critical
// violations), plus laptop and phone screenshots for people to look at.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { apiPost, axe, csrf, formatViolations, launch, login, newPage, shot, LAPTOP, PHONE } from "./helpers.mjs";

const PAGES = [
  { name: "login", user: null, path: "/login", ready: "#username" },
  { name: "teacher-sections", user: "teacher-001", path: "/sections", ready: "li.section-card" },
  { name: "teacher-grid", user: "teacher-001", path: "/sections/section-1-alg1-1?badge=M101", ready: "td[role=gridcell]" },
  { name: "teacher-rating-dialog", user: "teacher-001", path: "/sections/section-1-alg1-1?badge=M101", ready: "td[role=gridcell]", action: async (page) => {
      await page.locator("td[role=gridcell]").nth(1).focus();
      await page.keyboard.press("Enter");
      await page.getByRole("dialog").waitFor();
    }, phone: saveInView },
  { name: "teacher-student", user: "teacher-001", path: "/students/student-00001?tab=badges", ready: "article.badge-card" },
  { name: "teacher-evidence", user: "teacher-001", path: "/students/student-00004?tab=evidence", ready: ".evidence-item" },
  { name: "teacher-pending", user: "teacher-001", path: "/awards", ready: ".pending-list, .empty" },
  { name: "teacher-review-queue", user: "teacher-001", path: "/review", ready: "li.sub-item, .empty" },
  { name: "teacher-review", user: "teacher-001", path: () => `/portfolio/${portfolio.id}`, ready: "#feedback-text" },
  { name: "teacher-add-work", user: "teacher-001", path: "/students/student-00001/portfolio/new", ready: ".dropzone" },
  { name: "teacher-exemplars", user: "teacher-001", path: "/exemplars", ready: ".exemplar, .empty, .notice-error" },
  { name: "student-pathway", user: "student-00001", path: "/me", ready: "a.node" },
  { name: "student-badge", user: "student-00001", path: "/me/badges/M102", ready: "li.cpe-card" },
  { name: "student-evidence", user: "student-00001", path: "/me?tab=evidence", ready: ".evidence-item" },
  { name: "student-habits", user: "student-00001", path: "/me?tab=habits", ready: ".habit-card" },
  { name: "student-portfolio", user: "student-00001", path: "/me/portfolio", ready: "li.sub-item" },
  { name: "student-portfolio-new", user: "student-00001", path: "/me/portfolio/new", ready: ".dropzone", action: async (page) => {
      await page.getByLabel("Badge").selectOption("M101");
      await page.getByRole("checkbox", { name: /M101\.1/ }).check();
    } },
  { name: "student-submission", user: "student-00001", path: () => `/me/portfolio/${portfolio.id}`, ready: ".stage-frame img" },
  { name: "student-credentials", user: "student-00001", path: "/me/credentials", ready: "article.cred-card" },
  { name: "student-plan", user: "student-00001", path: "/me/plan", ready: "#plan-pathway" },
  { name: "guardian-children", user: "guardian-00001", path: "/children", ready: ".family-heading" },
  { name: "guardian-child", user: "guardian-00001", path: "/students/student-00001", ready: "a.node" },
  { name: "guardian-credentials", user: "guardian-00001", path: "/students/student-00001/credentials", ready: "article.cred-card, .empty" },
  { name: "public-verify", user: null, path: "/verify", ready: "#verify-file" },
  { name: "public-verify-result", user: null, path: "/verify", ready: "#verify-file", action: async (page) => {
      await page.getByLabel("Or paste a credential (JSON or JWT)").fill('{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"]}');
      await page.getByRole("button", { name: "Verify" }).click();
      await page.locator("article.verify-report, .verify-output .notice").first().waitFor();
    } },
  { name: "leader-dashboard", user: "leader-school-1", path: "/dashboard", ready: "g.bar-row" },
  { name: "leader-sections", user: "leader-school-1", path: "/sections", ready: "li.section-card" },
  { name: "leader-calibration", user: "leader-school-1", path: "/calibration?new=1", ready: ".calib-new", action: async (page) => {
      await page.getByLabel("Badge").selectOption("M101");
      await page.locator(".calib-candidates, .calib-new .loading").first().waitFor({ state: "attached" });
    } },
  { name: "guardian-shared-work", user: "guardian-00001", path: () => `/portfolio/${portfolio.id}`, ready: ".stage-frame img" },
  { name: "admin-catalog", user: "admin", path: "/admin/catalog", ready: "#badge-title" },
  { name: "admin-scales", user: "admin", path: "/admin/catalog", ready: "#badge-title", action: async (page) => {
      await page.getByRole("button", { name: "Scales and levels" }).click();
      await page.locator(".level-edit-list").first().waitFor();
    } },
  { name: "admin-users", user: "admin", path: "/admin/users", ready: "#accounts-table tbody tr" },
  { name: "admin-settings", user: "admin", path: "/admin/settings", ready: "form.card" },
  { name: "admin-import-report", user: "admin", path: "/admin/imports", ready: "form.import-form", action: async (page) => {
      // A dry run of a set with problems: the report with its problems table; nothing changes.
      await page.getByLabel("Choose a zip").setInputFiles(PROBLEM_ZIP);
      await page.getByRole("button", { name: "Start", exact: true }).click();
      await page.getByRole("heading", { name: "Problems found" }).waitFor();
    } },
  { name: "admin-standards", user: "admin", path: "/admin/standards", ready: "form.import-form", action: async (page) => {
      // A dry run of a CASE package: the report beside the frameworks and coverage.
      await page.getByLabel("Choose a package").setInputFiles(CASE_PACKAGE);
      await page.getByRole("button", { name: "Start", exact: true }).click();
      await page.locator("#case-result").waitFor();
    } },
  { name: "teacher-section-badges", user: "teacher-001", path: "/sections", ready: "li.section-card", action: async (page) => {
      await page.getByRole("button", { name: /^Edit badges/ }).first().click();
      await page.getByRole("dialog").getByRole("checkbox").first().waitFor();
    } },
];
// On a phone the rating dialog's Save button is on the screen (scrolling
// inside the dialog allowed) and nothing covers it. The dialog is in the top
// layer, so a too-wide one would not show in the page's scrollWidth.
async function saveInView(page) {
  const r = await page.evaluate(() => {
    const save = [...document.querySelectorAll("dialog[open] button[type=submit]")].find((b) => /^Save/.test(b.textContent.trim()));
    if (!save) return { missing: true };
    // Whatever has to scroll to show it must be one a person can scroll.
    const boxes = [];
    for (let el = save.parentElement; el; el = el.parentElement) boxes.push([el, el.scrollTop, el.scrollLeft]);
    save.scrollIntoView({ block: "nearest", inline: "nearest", behavior: "instant" });
    const stuck = boxes.filter(([el, top, left]) => {
      const style = getComputedStyle(el);
      return (el.scrollTop !== top && !/auto|scroll/.test(style.overflowY)) || (el.scrollLeft !== left && !/auto|scroll/.test(style.overflowX));
    });
    const b = save.getBoundingClientRect();
    const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
    return { left: b.left, right: b.right, top: b.top, bottom: b.bottom, width: window.innerWidth, height: window.innerHeight, onTop: !!hit && save.contains(hit), stuck: stuck.map(([el]) => el.tagName.toLowerCase() + (el.className ? "." + el.className : "")) };
  });
  if (r.missing) return "no Save button in the open dialog";
  if (r.stuck.length) return `Save button is reachable only by scrolling ${r.stuck.join(", ")}, which cannot be scrolled by hand`;
  const box = `[${Math.round(r.left)}, ${Math.round(r.top)}]–[${Math.round(r.right)}, ${Math.round(r.bottom)}]`;
  if (r.left < 0 || r.right > r.width || r.top < 0 || r.bottom > r.height) return `Save button at ${box} is outside the ${r.width}×${r.height} screen`;
  if (!r.onTop) return `Save button at ${box} is covered by another element`;
  return null;
}

const CASE_PACKAGE = fileURLToPath(new URL("../../tests/conformance/case/handmade/sample-state-math-v1p1.json", import.meta.url));
const PROBLEM_ZIP = fileURLToPath(new URL("../../tests/conformance/oneroster/moodle-enrol_oneroster/Test_minimal_data_set.zip", import.meta.url));

let browser;
// A PNG for the portfolio pages (240×160 checkerboard).
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAPAAAACgCAIAAAC9uXYyAAACPElEQVR42u3bsQkAIBAEQcuxCPvHcoyNrOATwcQbMB+439S297p+fczrx+W+cJuhuYI2NFfQDswVNJcraK6gDc0VtKG5gnZgrqC5XEFzBW1orqANzRU0lytoLlfQXEEbmitoQ3MFzeUKmsstgzYW9ydX0FxBG5oraAfmCprLFTRX0IbmCtrQXEE7MFfQXK6guYI2NFfQhuYK2oG5guZyBc0VtKG5gjY0V9BcrqC53DpoY3H9+jY0V9AOzBU0lytorqANzRW0obmCdmCuoLlcQXMFbWiuoA3NFTSXK2guV9BcQRuaK2hDcwXN5QqayxU0NyNoY3H9+jY0V9AOzBU0lytorqANzRW0obmCdmCuoLlcQXMFbWiuoA3NFTSXK2guV9BcQRuaK2hDcwXN5QqayxU0NyNoY3H9+jY0V9AOzBU0lytorqANzRW0obmCdmCuoLlcQXMFbWiuoA3NFTSXK2guV9BcQRuaK2hDcwXN5QqayxU0NyNoY3H9+jY0V9AOzBU0lytorqANzRW0obmCdmCuoLlcQXMFbWiuoA3NFTSXK2guV9BcQRuaK2hDcwXN5QqayxU0NyNoY3H9+jY0V9AOzBU0lytorqANzRW0obmCdmCuoLlcQXMFbWiuoA3NFTSXK2guV9BcQRuaK2hDcwXN5QqayxU0NyNoY3H9+jY0V9AOzBU0lytorqANzRW0obmCdmCuoLlcQXMFbWiuoA3NFTSXK2guV9BcQRuaK2hDcwXN5QqayxU0N8I9LmzB0Smqd2UAAAAASUVORK5CYII=",
  "base64",
);
const portfolio = { id: 0 };

before(async () => {
  browser = await launch();
  // A shared, submitted piece of work with anchored feedback for the portfolio pages.
  const student = await newPage(browser);
  await login(student, "student-00001");
  const upload = await student.request.post("/api/v1/students/student-00001/artifacts", {
    headers: { "X-CSRF-Token": await csrf(student) },
    multipart: { file: { name: "work.png", mimeType: "image/png", buffer: PNG } },
  });
  assert.equal(upload.status(), 201, await upload.text());
  const artifact = (await upload.json()).artifacts[0].id;
  const created = await apiPost(student, "/api/v1/students/student-00001/submissions", {
    badge: "M101",
    title: "Accessibility check work",
    text: "Typed work for the accessibility check.",
    reflection: "A reflection.",
    tags: [{ cpe: "M101.1" }],
    artifacts: [artifact],
    submit: true,
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  portfolio.id = created.body.id;
  assert.equal((await apiPost(student, `/api/v1/submissions/${portfolio.id}/actions`, { kind: "share" })).status, 201);
  const teacher = await newPage(browser);
  await login(teacher, "teacher-001");
  const fb = await apiPost(teacher, `/api/v1/submissions/${portfolio.id}/actions`, {
    kind: "feedback",
    message: "Label the axes.",
    anchor: { artifact, page: 0, x: 0.1, y: 0.1, w: 0.3, h: 0.3 },
  });
  assert.equal(fb.status, 201, JSON.stringify(fb.body));
  await student.context().close();
  await teacher.context().close();
});
after(async () => {
  await browser?.close();
});

for (const [viewportName, viewport] of [["laptop", LAPTOP], ["phone", PHONE]]) {
  test(`axe finds no serious or critical problems (${viewportName} ${viewport.width}×${viewport.height})`, { timeout: 150_000 }, async () => {
    const sessions = new Map();
    const problems = [];
    const wide = [];
    let checked = 0;
    for (const p of PAGES) {
      let page = sessions.get(p.user);
      if (!page) {
        page = await newPage(browser, viewport);
        if (p.user) await login(page, p.user);
        sessions.set(p.user, page);
      }
      await page.goto(typeof p.path === "function" ? p.path() : p.path);
      await page.locator(p.ready).first().waitFor();
      if (p.action) await p.action(page);
      await page.waitForTimeout(150);
      await shot(page, `${p.name}-${viewportName}`);
      const violations = await axe(page);
      checked++;
      if (violations.length) problems.push(`${p.name} (${page.url()}):\n${formatViolations(violations)}`);
      // Nothing makes the page wider than the screen: a phone must not
      // scroll sideways to reach a button.
      const { scroll, inner } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
      if (scroll > inner) wide.push(`${p.name} (${page.url()}): ${scroll}px wide on a ${inner}px screen`);
      if (viewport === PHONE && p.phone) {
        const problem = await p.phone(page);
        if (problem) wide.push(`${p.name} (${page.url()}): ${problem}`);
      }
    }
    for (const page of sessions.values()) await page.context().close();
    if (problems.length) console.log(problems.join("\n\n"));
    console.log(`# axe (${viewportName}): ${checked} pages checked, ${problems.length} with serious or critical violations`);
    assert.equal(problems.length, 0, problems.join("\n\n"));
    console.log(`# width (${viewportName}): ${checked} pages checked, ${wide.length} too wide or with a button off screen`);
    assert.deepEqual(wide, [], wide.join("\n"));
  });
}
