// Accessibility: axe-core on every main page (no serious or critical
// violations), plus laptop and phone screenshots for people to look at.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { axe, formatViolations, launch, login, newPage, shot, LAPTOP, PHONE } from "./helpers.mjs";

const PAGES = [
  { name: "login", user: null, path: "/login", ready: "#username" },
  { name: "teacher-sections", user: "teacher-001", path: "/sections", ready: "li.section-card" },
  { name: "teacher-grid", user: "teacher-001", path: "/sections/section-1-alg1-1?badge=M101", ready: "td[role=gridcell]" },
  { name: "teacher-rating-dialog", user: "teacher-001", path: "/sections/section-1-alg1-1?badge=M101", ready: "td[role=gridcell]", action: async (page) => {
      await page.locator("td[role=gridcell]").nth(1).focus();
      await page.keyboard.press("Enter");
      await page.getByRole("dialog").waitFor();
    } },
  { name: "teacher-student", user: "teacher-001", path: "/students/student-00001?tab=badges", ready: "article.badge-card" },
  { name: "teacher-evidence", user: "teacher-001", path: "/students/student-00004?tab=evidence", ready: ".evidence-item" },
  { name: "teacher-pending", user: "teacher-001", path: "/awards", ready: ".pending-list, .empty" },
  { name: "student-pathway", user: "student-00001", path: "/me", ready: "a.node" },
  { name: "student-badge", user: "student-00001", path: "/me/badges/M102", ready: "li.cpe-card" },
  { name: "student-evidence", user: "student-00001", path: "/me?tab=evidence", ready: ".evidence-item" },
  { name: "student-habits", user: "student-00001", path: "/me?tab=habits", ready: ".habit-card" },
  { name: "guardian-children", user: "guardian-00001", path: "/children", ready: ".child-stats" },
  { name: "guardian-child", user: "guardian-00001", path: "/students/student-00001", ready: "a.node" },
  { name: "leader-dashboard", user: "leader-school-1", path: "/dashboard", ready: "g.bar-row" },
  { name: "leader-sections", user: "leader-school-1", path: "/sections", ready: "li.section-card" },
  { name: "admin-catalog", user: "admin", path: "/admin/catalog", ready: "#badge-title" },
  { name: "admin-scales", user: "admin", path: "/admin/catalog", ready: "#badge-title", action: async (page) => {
      await page.getByRole("button", { name: "Scales and levels" }).click();
      await page.locator(".level-edit-list").first().waitFor();
    } },
  { name: "admin-users", user: "admin", path: "/admin/users", ready: "#accounts-table tbody tr" },
  { name: "admin-settings", user: "admin", path: "/admin/settings", ready: "form.card" },
];

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

for (const [viewportName, viewport] of [["laptop", LAPTOP], ["phone", PHONE]]) {
  test(`axe finds no serious or critical problems (${viewportName} ${viewport.width}×${viewport.height})`, { timeout: 150_000 }, async () => {
    const sessions = new Map();
    const problems = [];
    let checked = 0;
    for (const p of PAGES) {
      let page = sessions.get(p.user);
      if (!page) {
        page = await newPage(browser, viewport);
        if (p.user) await login(page, p.user);
        sessions.set(p.user, page);
      }
      await page.goto(p.path);
      await page.locator(p.ready).first().waitFor();
      if (p.action) await p.action(page);
      await page.waitForTimeout(150);
      await shot(page, `${p.name}-${viewportName}`);
      const violations = await axe(page);
      checked++;
      if (violations.length) problems.push(`${p.name} (${p.path}):\n${formatViolations(violations)}`);
    }
    for (const page of sessions.values()) await page.context().close();
    if (problems.length) console.log(problems.join("\n\n"));
    console.log(`# axe (${viewportName}): ${checked} pages checked, ${problems.length} with serious or critical violations`);
    assert.equal(problems.length, 0, problems.join("\n\n"));
  });
}
