// Checks the message catalogs beyond what their types say: every language
// has exactly the English keys, each message has the same {placeholders} as
// its English one, plural messages keep their plural forms, and the family's
// next step reads as the server's English for every kind. Run by
// `npm run build` (and `npm run check:i18n`).
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const dir = join(dirname(fileURLToPath(import.meta.url)), "../src/i18n");

async function load(file) {
  const source = readFileSync(join(dir, file), "utf8");
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  return import("data:text/javascript;base64," + Buffer.from(js).toString("base64"));
}

const placeholders = (entry) => {
  const texts = typeof entry === "string" ? [entry] : [entry.one, entry.other];
  return [...new Set(texts.flatMap((t) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1])))].sort().join(",");
};

const { en } = await load("en.ts");
const problems = [];
for (const file of readdirSync(dir).filter((f) => /^[a-z]{2}\.ts$/.test(f) && f !== "en.ts")) {
  const lang = file.slice(0, 2);
  const catalog = (await load(file))[lang];
  if (!catalog) {
    problems.push(`${file}: exports no \`${lang}\``);
    continue;
  }
  for (const key of Object.keys(en)) {
    if (!(key in catalog)) problems.push(`${file}: "${key}" is missing`);
    else {
      if (typeof en[key] !== "string" && typeof catalog[key] === "string") problems.push(`${file}: "${key}" needs plural forms {one, other}`);
      // A translation may leave out {count} in its "one" form ("una insignia"), never add or lose others.
      const want = placeholders(en[key]).split(",").filter((p) => p && p !== "count");
      const have = placeholders(catalog[key]).split(",").filter((p) => p && p !== "count");
      if (want.join(",") !== have.join(",")) problems.push(`${file}: "${key}" has {${have.join("}, {")}}, English has {${want.join("}, {")}}`);
    }
  }
  for (const key of Object.keys(catalog)) if (!(key in en)) problems.push(`${file}: "${key}" is not an English key`);
}
// The next step, composed from the summary's parts: the English matches what
// the server writes in next_step (src/reports/family_summary.cpp); every
// language fills every placeholder.
const out = mkdtempSync(join(tmpdir(), "check-i18n-"));
try {
  for (const name of ["en", "es", "messages"]) {
    const source = readFileSync(join(dir, name + ".ts"), "utf8");
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    writeFileSync(join(out, name + ".mjs"), js.replace(/from "\.\/(en|es)"/g, 'from "./$1.mjs"'));
  }
  const { nextStepSentence, translate } = await import(join(out, "messages.mjs"));
  const cpe = { id: "M104.3", label: "Slope", skill: 3, of: 9 };
  const none = { prerequisite: null, cpe: null, level: null, evidence_kind: null };
  const cases = [
    [{ ...none, kind: "confirming" }, "Aaliyah has shown everything this badge asks for. A teacher is checking the work before awarding it."],
    [{ ...none, kind: "prerequisite", prerequisite: { code: "M101", title: "Linear Equations" } }, "Next: earn Linear Equations first. This badge builds on it."],
    [{ ...none, kind: "again", cpe }, "Next: show \u201cSlope\u201d again in another piece of work (M104, skill 3 of 9)."],
    [{ ...none, kind: "show", cpe, level: "Proficient" }, "Next: show Proficient work on \u201cSlope\u201d (M104, skill 3 of 9)."],
    [{ ...none, kind: "evidence_kind", evidence_kind: "performance_task" }, "Next: complete a longer project that uses the skills together for this badge."],
    [{ ...none, kind: "keep_going" }, "Next: keep adding work to the portfolio with the teacher's feedback."],
  ];
  for (const [next, english] of cases) {
    const badge = { code: "M104", next, next_step: "(fallback)" };
    const got = nextStepSentence((key, vars) => translate("en", key, vars), badge, "Aaliyah");
    if (got !== english) problems.push(`next step ${next.kind}: English is "${got}", the server writes "${english}"`);
    const spanish = nextStepSentence((key, vars) => translate("es", key, vars), badge, "Aaliyah");
    if (/[{}]/.test(spanish) || spanish === "(fallback)" || !(next.kind === "confirming" ? spanish.startsWith("Aaliyah ") : spanish.startsWith("Siguiente: "))) problems.push(`next step ${next.kind}: Spanish is "${spanish}"`);
  }
  for (const kind of ["formative", "summative", "portfolio_item", "external_assessment", "outside_school"]) {
    const badge = { code: "M104", next: { ...none, kind: "evidence_kind", evidence_kind: kind }, next_step: "(fallback)" };
    if (nextStepSentence((key, vars) => translate("es", key, vars), badge, "A") === "(fallback)") problems.push(`next step evidence_kind ${kind}: no words for it`);
  }
  if (nextStepSentence((key, vars) => translate("es", key, vars), { code: "M1", next: null, next_step: "Next: x." }, "A") !== "Next: x.") problems.push("next step: without parts the server's sentence is not shown");
  if (translate("es", "children.skillsShown", { done: 1, count: 1 }) !== "1 de 1 habilidad demostrada") problems.push("plural: the Spanish one form is not chosen for 1");
  if (translate("en", "children.skillsShown", { done: 2, count: 5 }) !== "2 of 5 skills shown") problems.push("plural: the English other form is not chosen for 5");
} finally {
  rmSync(out, { recursive: true, force: true });
}

if (problems.length) {
  console.error("check-i18n: " + problems.length + " problem(s)\n  " + problems.join("\n  "));
  process.exit(1);
}
console.log(`check-i18n: ${Object.keys(en).length} messages, every language complete; next-step sentences and plurals as expected`);
