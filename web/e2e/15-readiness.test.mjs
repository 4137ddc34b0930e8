// Readiness rounds (issue #15, the first "Done when"): a district leader
// makes a team of four staff and opens a District Readiness Self-Assessment
// round; the four answer (differently, so the team disagrees on vision
// setting); the leader closes it and sees the per-domain aggregate and the
// most-disagreed items; a term later a second round, answered differently,
// shows the change per domain. Names carry a stamp, so the file re-runs on
// the same database.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { PHONE, apiPost, axe, formatViolations, launch, login, newPage, shot, PASSWORD } from "./helpers.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const STAMP = new Date().toISOString().replace(/[-:TZ.]/g, "").slice(0, 14);
const DISTRICT = "district-demo";

/** What member `m` answers to item `index` of a domain in round `round` (1 or 2). */
function answerOf(round, m, section, index) {
  if (round === 1) {
    // Vision setting splits the team between the scale's ends; the rest sits low.
    if (section === "vision-setting") return m < 2 ? 1 : 5;
    return [2, 3, 2, 3][m] + (index % 2 === 0 ? 0 : -1 + (m % 2));
  }
  // A term later: higher, and agreed on vision setting.
  if (section === "vision-setting") return 4;
  return [4, 4, 5, 4][m] - (index % 3 === 0 && m === 2 ? 1 : 0);
}

async function nav(page, name) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true }).click();
}

async function answerRound(page, instrument, label, round, m) {
  await nav(page, "My surveys");
  await page.getByRole("heading", { name: "My surveys", level: 1 }).waitFor();
  await page.getByRole("link", { name: label, exact: true }).click();
  await page.getByRole("heading", { name: label, level: 1 }).waitFor();
  const scale = instrument.scales.find((s) => s.id === "agree-5");
  for (const section of instrument.sections) {
    section.items.forEach((item, index) => (item.index = index));
    for (const item of section.items) {
      const value = answerOf(round, m, section.id, item.index);
      const point = scale.points.find((p) => p.value === value);
      await page.locator(`fieldset[data-item="${item.id}"]`).getByLabel(point.label, { exact: true }).check();
    }
  }
  await page.getByRole("button", { name: "Save my answers" }).click();
  await page.getByText("Your answers are saved").waitFor();
}

async function openRound(page, team, label, due) {
  await nav(page, "Readiness");
  await page.getByRole("heading", { name: "Readiness", level: 1 }).waitFor();
  const form = page.locator("form", { has: page.getByRole("button", { name: "Open the round" }) });
  await form.getByLabel("Instrument").selectOption("readiness-s1-4");
  await form.getByLabel("Team", { exact: true }).selectOption({ label: `${team} (4)` });
  await form.getByLabel("Due").fill(due);
  await form.getByLabel("Label").fill(label);
  assert.equal(await form.getByLabel(/^Anonymous/).isChecked(), true, "the readiness survey is anonymous by default");
  await form.getByRole("button", { name: "Open the round" }).click();
  await page.getByText(`${label} is open: 4 members`).waitFor();
  const rounds = await (await page.request.get(`/api/v1/districts/${DISTRICT}/rounds`)).json();
  const round = rounds.find((r) => r.label === label);
  assert.ok(round, `round ${label} listed`);
  return round;
}

async function closeAndOpenResults(page, label) {
  await nav(page, "Readiness");
  await page.getByRole("button", { name: `Close ${label}` }).click();
  await page.getByText(`${label} is closed.`).waitFor();
  await page.getByRole("link", { name: label, exact: true }).click();
  await page.getByRole("heading", { name: label, level: 1 }).waitFor();
  await page.getByRole("heading", { name: "By domain" }).waitFor();
}

async function assertNoSeriousViolations(page) {
  const violations = await axe(page);
  assert.equal(violations.length, 0, formatViolations(violations));
}

test("a team of four answers two readiness rounds; the leader sees domains, disagreement and change", { timeout: 300_000 }, async () => {
  // The demo signs in four staff; the team's other two teachers get accounts here.
  const admin = await newPage(browser);
  await login(admin, "admin");
  const staff = await (await admin.request.get(`/api/v1/districts/${DISTRICT}/staff`)).json();
  const teachers = staff.filter((s) => s.role === "teacher" && s.id !== "teacher-001").slice(0, 2).map((s) => s.id);
  assert.equal(teachers.length, 2, "the demo district has more teachers");
  for (const id of teachers) {
    const made = await apiPost(admin, "/api/v1/users", { person: id, username: id, password: PASSWORD });
    assert.ok(made.status === 201 || made.status === 200 || made.status === 409, `account for ${id}: ${made.status} ${JSON.stringify(made.body)}`);
  }
  await admin.context().close();
  const members = ["teacher-001", ...teachers, "leader-school-1"];

  const leader = await newPage(browser);
  await login(leader, "leader-district");
  leader.consoleErrors.length = 0;
  await nav(leader, "Readiness");
  await leader.getByRole("heading", { name: "Readiness", level: 1 }).waitFor();

  // The team.
  const team = `Readiness team ${STAMP}`;
  const teamForm = leader.locator("form", { has: leader.getByRole("button", { name: "Make the team" }) });
  await teamForm.getByLabel("Team name").fill(team);
  for (const id of members) await teamForm.locator(`input[type="checkbox"][value="${id}"]`).check();
  await teamForm.getByRole("button", { name: "Make the team" }).click();
  await leader.getByText(`Team ${team} made with 4 members.`).waitFor();
  await assertNoSeriousViolations(leader);

  const instrument = await (await leader.request.get(`/api/v1/districts/${DISTRICT}/instruments/readiness-s1-4`)).json();
  const autumn = `Autumn ${STAMP}`;
  const first = await openRound(leader, team, autumn, "2099-01-15");
  assert.equal(first.anonymous, true);

  const pages = [];
  for (let m = 0; m < 4; m++) {
    const page = await newPage(browser);
    await login(page, members[m]);
    pages.push(page);
    await answerRound(page, instrument, autumn, 1, m);
    if (m === 0) await assertNoSeriousViolations(page);
  }
  // A member does not see results.
  assert.equal((await pages[0].request.get(`/api/v1/rounds/${first.id}/results`)).status(), 403);

  await closeAndOpenResults(leader, autumn);
  const results = await (await leader.request.get(`/api/v1/rounds/${first.id}/results`)).json();
  assert.equal(results.responses, 4);
  const domainRows = leader.locator("table.domain-table tbody tr");
  assert.equal(await domainRows.count(), instrument.sections.length);
  for (const d of results.results.domains) {
    const row = leader.locator(`table.domain-table tbody tr[data-section="${d.section}"]`);
    assert.ok((await row.textContent()).includes(d.title));
    assert.ok((await row.textContent()).includes(d.mean.toFixed(1)), `${d.title} shows its mean ${d.mean}`);
  }
  // The most disagreed items are the split vision-setting ones, listed first.
  const disagreed = leader.locator("ol.disagreed-list > li");
  assert.ok((await disagreed.count()) >= 3);
  assert.equal(await disagreed.first().getAttribute("data-item"), results.results.most_disagreed[0].item);
  assert.match(results.results.most_disagreed[0].item, /^vision-setting-/);
  assert.equal(results.results.most_disagreed[0].disagreement, 1);
  assert.ok((await disagreed.first().textContent()).includes("Disagreement 1.00 (strong)"));
  assert.ok((await leader.getByRole("heading", { name: "Change since the last round" }).count()) === 1);
  await shot(leader, "15-readiness-first-round");
  await assertNoSeriousViolations(leader);

  // A term later.
  const spring = `Spring ${STAMP}`;
  const second = await openRound(leader, team, spring, "2099-04-15");
  assert.equal(second.previous, first.id);
  for (let m = 0; m < 4; m++) await answerRound(pages[m], instrument, spring, 2, m);
  await closeAndOpenResults(leader, spring);
  const later = await (await leader.request.get(`/api/v1/rounds/${second.id}/results`)).json();
  assert.equal(later.previous_round.id, first.id);
  await leader.getByRole("heading", { name: `Change since ${autumn}` }).waitFor();
  const changeRows = leader.locator("table.change-table tbody tr");
  assert.equal(await changeRows.count(), instrument.sections.length);
  for (const c of later.change) {
    assert.ok(c.change > 0, `${c.title} moved up`);
    const row = leader.locator(`table.change-table tbody tr[data-section="${c.section}"]`);
    const text = await row.textContent();
    assert.ok(text.includes(`+${c.change.toFixed(1)}`), `${c.title}: ${text} shows +${c.change.toFixed(1)}`);
    assert.ok(text.includes(c.before.toFixed(1)) && text.includes(c.after.toFixed(1)));
  }
  // The chart: one line per domain across both closed rounds (the median on
  // the instrument's scale), with a legend and the numbers in a table.
  const chart = leader.locator('svg[data-chart="domain-movement"]');
  await chart.waitFor();
  assert.equal(await chart.locator("g[data-series]").count(), instrument.sections.length);
  assert.equal(await leader.locator(".chart-legend li").count(), instrument.sections.length);
  for (const d of later.results.domains) {
    const series = chart.locator(`g[data-series="${d.section}"]`);
    assert.equal(await series.locator("circle[data-point]").count(), 2, `${d.title} has a point per round`);
    const before = results.results.domains.find((x) => x.section === d.section);
    assert.equal(Number(await series.locator(`circle[data-round="${first.id}"]`).getAttribute("data-value")), before.median, `${d.title} in ${autumn}`);
    assert.equal(Number(await series.locator(`circle[data-round="${second.id}"]`).getAttribute("data-value")), d.median, `${d.title} in ${spring}`);
    const row = leader.locator(`table.movement-table tr[data-domain="${d.section}"]`);
    assert.ok((await row.textContent()).includes(d.title));
    assert.equal(await row.locator(`td[data-round="${first.id}"]`).textContent(), before.median.toFixed(1));
    assert.equal(await row.locator(`td[data-round="${second.id}"]`).textContent(), d.median.toFixed(1));
  }
  assert.equal(await leader.locator("table.movement-table").getAttribute("data-rounds"), "2");
  // The legend picks out one domain's line.
  const visionKey = leader.locator(".chart-legend").getByRole("button", { name: results.results.domains.find((d) => d.section === "vision-setting").title });
  await visionKey.click();
  assert.equal(await visionKey.getAttribute("aria-pressed"), "true");
  // The first round's page charts both closed rounds too, the later one included.
  await leader.goto(`/readiness/rounds/${first.id}`);
  await leader.locator('svg[data-chart="domain-movement"] g[data-series="vision-setting"] circle[data-point]').nth(1).waitFor();
  assert.equal(await leader.locator("table.movement-table").getAttribute("data-rounds"), "2");
  assert.equal(await leader.locator(`table.movement-table th[data-round="${first.id}"]`).getAttribute("aria-current"), "true");
  await leader.goBack();
  await leader.getByRole("heading", { name: `Change since ${autumn}` }).waitFor();
  // On a phone: the chart fits, nothing scrolls sideways.
  const phone = await newPage(browser, PHONE);
  await login(phone, "leader-district");
  await phone.goto(`/readiness/rounds/${second.id}`);
  await phone.locator('svg[data-chart="domain-movement"] circle[data-point]').first().waitFor();
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "the results fit a phone");
  await assertNoSeriousViolations(phone);
  await phone.context().close();
  // Agreed now: vision setting is no longer the most disagreed.
  assert.doesNotMatch(later.results.most_disagreed[0].item, /^vision-setting-/);
  await leader.locator("table.change-table").scrollIntoViewIfNeeded();
  await shot(leader, "15-readiness-change");
  await assertNoSeriousViolations(leader);
  assert.deepEqual(leader.consoleErrors, []);
  for (const page of pages) await page.context().close();
  await leader.context().close();
});

test("a district leader adapts the readiness instrument under an id of its own", { timeout: 90_000 }, async () => {
  const leader = await newPage(browser);
  await login(leader, "leader-district");
  await nav(leader, "Readiness");
  await leader.getByLabel("Start from").selectOption("readiness-s1-4");
  const area = leader.getByLabel("Instrument document (JSON)");
  await leader.waitForFunction(() => document.querySelector("#instrument-json")?.value.includes('"readiness-s1-4-'));
  const doc = JSON.parse(await area.inputValue());
  assert.match(doc.id, /^readiness-s1-4-/, "an adaptation gets an id of its own");
  doc.id = `readiness-adapted-${STAMP}`.toLowerCase();
  doc.title = `Our readiness ${STAMP}`;
  // A broken scale reference first: named by its JSON path, nothing saved.
  const broken = structuredClone(doc);
  broken.sections[0].items[0].response.scale = "no-such-scale";
  await area.fill(JSON.stringify(broken, null, 2));
  await leader.getByRole("button", { name: "Save instrument" }).click();
  await leader.locator(".field-errors li", { hasText: "$.sections[0].items[0].response.scale" }).waitFor();
  doc.sections[0].items[0].prompt = `Our board has adopted the vision (${STAMP}).`;
  await area.fill(JSON.stringify(doc, null, 2));
  await leader.getByRole("button", { name: "Save instrument" }).click();
  await leader.locator(`li[data-instrument="${doc.id}"]`).waitFor();
  const stored = await (await leader.request.get(`/api/v1/districts/${DISTRICT}/instruments/${doc.id}`)).json();
  assert.equal(stored.origin, "district");
  assert.equal(stored.sections[0].items[0].prompt, `Our board has adopted the vision (${STAMP}).`);
  const shipped = await (await leader.request.get(`/api/v1/districts/${DISTRICT}/instruments/readiness-s1-4`)).json();
  assert.notEqual(shipped.sections[0].items[0].prompt, stored.sections[0].items[0].prompt, "the shipped wording is untouched");
  const violations = await axe(leader);
  assert.equal(violations.length, 0, formatViolations(violations));
  await leader.context().close();
});
