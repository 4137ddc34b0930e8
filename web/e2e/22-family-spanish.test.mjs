// Languages: a family reads the next step in Spanish on a phone, the choice
// is theirs and stays; a student follows the district's default language.
// Both put the demo back as it was (tests share its data).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { PHONE, apiPut, axe, formatViolations, launch, login, loginAnyLanguage, newPage, shot } from "./helpers.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const htmlLang = (page) => page.evaluate(() => document.documentElement.lang);
const noSideScroll = async (page) => {
  const { inner, scroll } = await page.evaluate(() => ({ inner: window.innerWidth, scroll: document.documentElement.scrollWidth }));
  assert.ok(scroll <= inner, `the page is ${scroll}px wide on a ${inner}px screen`);
};

test("a family reads the next step in Spanish on a phone, and the choice stays", { timeout: 90_000 }, async () => {
  const page = await newPage(browser, PHONE);
  await loginAnyLanguage(page, "guardian-00001");
  try {
    // Start from the district's default (English in the demo).
    const reset = await apiPut(page, "/api/v1/me/preferences", { language: null });
    assert.equal(reset.status, 200, JSON.stringify(reset.body));
    assert.equal(reset.body.effective_language, "en", "the demo district speaks English");
    await page.goto("/children");
    await page.getByRole("heading", { name: "My children", level: 1 }).waitFor();
    assert.equal(await htmlLang(page), "en");

    await page.getByLabel("Language / Idioma").selectOption("es");
    await page.getByRole("heading", { name: "Mis hijos", level: 1 }).waitFor();
    assert.equal(await htmlLang(page), "es");
    const prefs = await (await page.request.get("/api/v1/me/preferences")).json();
    assert.equal(prefs.language, "es");
    assert.equal(prefs.effective_language, "es");

    const me = await (await page.request.get("/api/v1/me")).json();
    const child = me.students[0];
    const summary = await (await page.request.get(`/api/v1/students/${child.id}/family-summary`)).json();
    assert.ok(summary.working.length > 0, "the demo child is working on a badge");
    await page.getByRole("heading", { name: "Trabajando en" }).first().waitFor();
    for (const badge of summary.working) {
      assert.ok(badge.next, `${badge.code} has a structured next step`);
      const item = page.locator(`li.family-badge[data-badge="${badge.code}"]`);
      const next = (await item.locator(".family-next").innerText()).trim();
      if (badge.next.kind === "confirming") {
        assert.equal(next, `${summary.child} ya demostró todo lo que pide esta insignia. Un maestro está revisando el trabajo antes de otorgarla.`);
      } else {
        assert.match(next, /^Siguiente: /, next);
        if (badge.next.cpe) assert.ok(next.includes(`“${badge.next.cpe.label}”`) && next.includes(`habilidad ${badge.next.cpe.skill} de ${badge.next.cpe.of}`), next);
        if (badge.next.kind === "prerequisite") assert.ok(next.includes(badge.next.prerequisite.title), next);
      }
      assert.ok((await item.innerText()).includes(badge.title), "the district's badge title is shown as written");
    }
    const main = await page.locator("main").innerText();
    assert.ok(!main.includes("Next:"), "no English next step is left");
    assert.ok(main.includes("habilidades demostradas") || main.includes("habilidad demostrada"), main);
    await page.getByRole("link", { name: "Mis hijos" }).waitFor();
    await page.getByRole("button", { name: "Cerrar sesión" }).waitFor();
    await noSideScroll(page);
    const violations = await axe(page);
    assert.equal(violations.length, 0, formatViolations(violations));
    await shot(page, "guardian-family-phone-es");

    // The child's own page (pathway map) speaks Spanish as well.
    await page.goto(`/students/${child.id}`);
    await page.getByRole("group", { name: `Mapa de trayectoria de ${child.name}` }).waitFor();
    await page.getByRole("link", { name: "Trabajos compartidos" }).waitFor();
    await noSideScroll(page);
    const childViolations = await axe(page);
    assert.equal(childViolations.length, 0, formatViolations(childViolations));
    await page.goto("/children");

    // The choice is kept: after a reload the page is Spanish again.
    await page.reload();
    await page.getByRole("heading", { name: "Mis hijos", level: 1 }).waitFor();
    await page.locator(".family-next").first().waitFor();
    assert.equal(await htmlLang(page), "es");
    assert.equal(await page.getByLabel("Language / Idioma").inputValue(), "es");
    assert.ok(!(await page.locator("main").innerText()).includes("Next:"));

    // And back to English through the same picker.
    await page.getByLabel("Language / Idioma").selectOption("en");
    await page.getByRole("heading", { name: "My children", level: 1 }).waitFor();
    assert.equal(await htmlLang(page), "en");
    const first = summary.working[0];
    assert.equal((await page.locator(`li.family-badge[data-badge="${first.code}"] .family-next`).innerText()).trim(), first.next_step);
  } finally {
    await apiPut(page, "/api/v1/me/preferences", { language: null });
    await page.context().close();
  }
});

test("a student follows the district's default language", { timeout: 90_000 }, async () => {
  const admin = await newPage(browser);
  await login(admin, "admin");
  const before = await (await admin.request.get("/api/v1/settings")).json();
  const student = await newPage(browser, PHONE);
  try {
    // The admin chooses Spanish as the default on the settings page.
    await admin.goto("/admin/settings");
    await admin.getByLabel("Default language for families and students").selectOption("es");
    await admin.getByRole("button", { name: "Save settings" }).click();
    await admin.getByText("Settings saved.").waitFor();
    assert.equal((await (await admin.request.get("/api/v1/settings")).json()).language, "es");

    await loginAnyLanguage(student, "student-00001");
    const reset = await apiPut(student, "/api/v1/me/preferences", { language: null });
    assert.equal(reset.status, 200, JSON.stringify(reset.body));
    assert.equal(reset.body.district_language, "es");
    assert.equal(reset.body.effective_language, "es");
    await student.goto("/me");
    const nav = student.getByRole("navigation", { name: "Principal" });
    for (const label of ["Mi aprendizaje", "Mi plan", "Mi portafolio", "Mis credenciales"]) await nav.getByRole("link", { name: label }).waitFor();
    assert.equal(await nav.getByRole("link", { name: "My learning" }).count(), 0);
    await student.getByRole("heading", { name: /^Hola, /, level: 1 }).waitFor();
    await student.getByRole("tab", { name: "Mapa de trayectoria" }).waitFor();
    assert.equal(await htmlLang(student), "es");
    // The picker says the student follows the school's default, and can
    // go back to it after choosing a language of their own.
    const picker = student.getByLabel("Language / Idioma");
    assert.equal(await picker.inputValue(), "");
    assert.equal((await picker.locator("option:checked").innerText()).trim(), "Predeterminado (Español)");
    await picker.selectOption("en");
    await student.getByRole("heading", { name: /^Hi, /, level: 1 }).waitFor();
    assert.equal((await (await student.request.get("/api/v1/me/preferences")).json()).language, "en");
    await picker.selectOption("");
    await student.getByRole("heading", { name: /^Hola, /, level: 1 }).waitFor();
    assert.equal((await (await student.request.get("/api/v1/me/preferences")).json()).language, null);
    await noSideScroll(student);
    const violations = await axe(student);
    assert.equal(violations.length, 0, formatViolations(violations));
    await shot(student, "student-home-phone-es");

    // The student's other pages speak Spanish too, fit the phone and pass axe.
    const pages = [
      { path: "/me/badges/M102", ready: "li.cpe-card", heading: "Lo que pide esta insignia" },
      { path: "/me?tab=evidence", ready: ".evidence-item", heading: "Mi evidencia y los comentarios del maestro" },
      { path: "/me/portfolio", ready: "li.sub-item, .empty", heading: "Mi portafolio" },
      { path: "/me/credentials", ready: "article.cred-card, .empty", heading: "Mis credenciales" },
      { path: "/me/plan", ready: "#plan-pathway, #goals-h", heading: "Metas" },
    ];
    for (const p of pages) {
      await student.goto(p.path);
      await student.locator(p.ready).first().waitFor();
      await student.getByRole("heading", { name: p.heading }).first().waitFor();
      assert.equal(await htmlLang(student), "es", p.path);
      await noSideScroll(student);
      const found = await axe(student);
      assert.equal(found.length, 0, `${p.path}\n${formatViolations(found)}`);
    }
  } finally {
    const restored = await apiPut(admin, "/api/v1/settings", { language: before.language ?? "en" });
    assert.equal(restored.status, 200, JSON.stringify(restored.body));
    await student.context().close();
    await admin.context().close();
  }
});
