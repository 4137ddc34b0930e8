// Student: the pathway map with states, one badge in depth, the evidence history.
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

test("student sees the pathway map, a badge's expectations and their evidence", { timeout: 60_000 }, async () => {
  const page = await newPage(browser);
  await login(page, "student-00001");
  await page.waitForURL(/\/me$/);
  await page.getByRole("heading", { name: /^Hi, / }).waitFor();

  // The map: one node per badge, each with a state in words.
  const map = page.getByRole("group", { name: "My pathway map" });
  await map.waitFor();
  const nodes = map.locator("a.node");
  const progress = await (await page.request.get("/api/v1/students/student-00001/progress")).json();
  assert.equal(await nodes.count(), progress.badges.length);
  for (const state of ["earned", "in_progress", "locked"]) {
    assert.ok((await map.locator(`a.node[data-state="${state}"]`).count()) > 0, `a ${state} badge on the map`);
  }
  const earned = map.locator('a.node[data-badge="M101"]');
  assert.match(await earned.getAttribute("aria-label"), /Earned/);
  assert.equal((await earned.locator("text.node-state").textContent()).trim(), "Earned");
  const locked = progress.badges.find((b) => b.state === "locked");
  const lockedNode = map.locator(`a.node[data-badge="${locked.badge}"]`);
  assert.match(await lockedNode.getAttribute("aria-label"), new RegExp(`^${locked.badge} Locked .* Needs ${locked.missing_prerequisites[0]}`));
  assert.equal((await lockedNode.locator("text.node-state").textContent()).trim(), "Locked");
  assert.match(await lockedNode.locator("text.node-detail").textContent(), new RegExp(`Needs ${locked.missing_prerequisites[0]}`));
  // Prerequisite edges are drawn.
  assert.ok((await map.locator("path.edge").count()) > 5);

  // The pathway arrangement groups by the catalog's pathways.
  await page.getByRole("button", { name: "By pathway" }).click();
  await map.locator("text.lane-label", { hasText: "Algebra I sequence" }).waitFor();
  await page.getByRole("button", { name: "By prerequisites" }).click();

  // Open a badge in progress: its CPEs with statements, levels and what remains.
  const inProgress = progress.badges.find((b) => b.state === "in_progress");
  await map.locator(`a.node[data-badge="${inProgress.badge}"]`).click();
  await page.waitForURL(new RegExp(`/me/badges/${inProgress.badge}$`));
  await page.getByRole("heading", { level: 1, name: new RegExp(inProgress.title) }).waitFor();
  const cpes = page.locator("li.cpe-card");
  assert.equal(await cpes.count(), inProgress.explanation.cpes.length);
  const catalog = await (await page.request.get("/api/v1/catalog")).json();
  const badge = catalog.badges.find((b) => b.code === inProgress.badge);
  await page.getByText(badge.cpes[0].statement).waitFor();
  await page.getByRole("heading", { name: "What each level means" }).waitFor();
  await page.getByText(catalog.scales[0].levels.find((l) => l.mastery).description).waitFor();
  const remaining = page.locator(".remaining");
  assert.match(await remaining.innerText(), /What remains/);
  for (const r of inProgress.explanation.remaining.slice(0, 2)) {
    assert.ok((await remaining.innerText()).includes(r.split(" ").slice(1).join(" ")), `remaining lists "${r}"`);
  }
  // Each CPE shows its current level and why.
  assert.ok((await cpes.first().innerText()).includes(inProgress.explanation.cpes[0].reason.split(":")[0]));
  // Indicators open on demand.
  await cpes.first().getByText(/Ways to show it/).click();
  await cpes.first().getByText(badge.cpes[0].indicators[0].label, { exact: true }).waitFor();

  // Evidence history with teacher feedback; habits apart from badges.
  await page.getByRole("link", { name: "My learning" }).first().click();
  await page.getByRole("tab", { name: "Evidence & feedback" }).click();
  await page.getByRole("heading", { name: "My evidence and teacher feedback" }).waitFor();
  assert.ok((await page.locator(".evidence-item").count()) > 5);
  await page.locator(".evidence-item blockquote.feedback").first().waitFor();
  await page.getByRole("tab", { name: "Habits of work" }).click();
  await page.getByText("reported apart from academic mastery").waitFor();
  assert.equal(await page.locator(".habit-card").count(), progress.habits_of_work.length);
  assert.deepEqual(page.consoleErrors.filter((e) => !/401/.test(e)), []);
  await page.context().close();
});
