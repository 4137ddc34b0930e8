// Checks the message catalogs beyond what their types say: every language
// has exactly the English keys, each message has the same {placeholders} as
// its English one, and plural messages keep their plural forms. Run by
// `npm run build` (and `npm run check:i18n`).
import { readFileSync, readdirSync } from "node:fs";
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
if (problems.length) {
  console.error("check-i18n: " + problems.length + " problem(s)\n  " + problems.join("\n  "));
  process.exit(1);
}
console.log(`check-i18n: ${Object.keys(en).length} messages, every language complete`);
