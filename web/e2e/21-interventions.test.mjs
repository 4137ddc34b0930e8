// Interventions: a teacher records support for a student on a badge, closes
// it with how it ended; the family sees it; the leader's dashboard counts it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { axe, formatViolations, launch, login, newPage, PHONE } from "./helpers.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("a teacher records and closes support; family and leader see it", { timeout: 120_000 }, async () => {
  const teacher = await newPage(browser);
  await login(teacher, "teacher-001");
  await teacher.goto("/students/student-00001?tab=support");
  await teacher.getByRole("heading", { name: "Record new support" }).waitFor();
  const provider = `Mr. Okafor ${Date.now()}`;
  await teacher.getByLabel("Badge", { exact: true }).selectOption("M101");
  await teacher.getByLabel("CPE (optional)").selectOption({ index: 2 });
  await teacher.getByLabel("Kind of support").selectOption("flex_time");
  await teacher.getByLabel("Who gives it (optional)").fill(provider);
  await teacher.getByLabel("Note (optional)").fill("Word problems on Tuesdays");
  await teacher.getByRole("button", { name: "Record support" }).click();
  await teacher.getByText("Flex time on M101 recorded.").waitFor();
  const item = teacher.locator("li.intervention", { hasText: provider });
  await item.waitFor();
  assert.match(await item.textContent(), /Flex time/);
  assert.match(await item.textContent(), /Word problems on Tuesdays/);
  const violations = await axe(teacher);
  assert.equal(violations.length, 0, formatViolations(violations));

  teacher.once("dialog", (dialog) => dialog.accept("Caught up on word problems"));
  await item.getByRole("button", { name: /^Close/ }).click();
  await teacher.getByText("Flex time on M101 closed.").waitFor();
  await teacher.locator("li.intervention", { hasText: provider }).getByText("Outcome: Caught up on word problems").waitFor();
  await teacher.context().close();

  // The family sees the support, without the buttons.
  const family = await newPage(browser, PHONE);
  await login(family, "guardian-00001");
  await family.goto("/students/student-00001?tab=support");
  const seen = family.locator("li.intervention", { hasText: provider });
  await seen.waitFor();
  assert.equal(await family.getByRole("button", { name: /^Close/ }).count(), 0);
  assert.equal(await family.getByRole("heading", { name: "Record new support" }).count(), 0);
  const { inner, scroll } = await family.evaluate(() => ({ inner: window.innerWidth, scroll: document.documentElement.scrollWidth }));
  assert.ok(scroll <= inner, `the page is ${scroll}px wide on a ${inner}px screen`);
  await family.context().close();

  // The leader's dashboard counts it.
  const leader = await newPage(browser);
  await login(leader, "leader-district");
  await leader.goto("/dashboard");
  const row = leader.locator('#support-table tr[data-kind="flex_time"]');
  await row.waitFor();
  const report = await (await leader.request.get("/api/v1/reports/interventions")).json();
  const flex = report.kinds.find((k) => k.kind === "flex_time");
  assert.ok(flex.started >= 1 && flex.closed >= 1, JSON.stringify(flex));
  assert.match(await row.textContent(), new RegExp(`Flex time${flex.started}${flex.open}`));
  await leader.context().close();
});
