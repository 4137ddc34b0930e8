#!/usr/bin/env node
// Independent verification of Cairn's verifiable credentials.
//
//   node verify-independent/verify.mjs BASE_URL          (a running server)
//   node verify-independent/verify.mjs --live BASE_URL   (the same, keys and
//        controllers fetched over the network while verifying, from the
//        URLs the credentials name: scripts/verify-https.sh runs it against
//        Cairn behind TLS with a test CA)
//   node verify-independent/verify.mjs --dir DIR         (saved documents)
//
// Fetches what a running Cairn server issued to the demo student (signs in as
// student-00001), then verifies it OFFLINE with Digital Bazaar's libraries,
// which share no code with Cairn's C++ signer:
//   (a) every OpenBadgeCredential's eddsa-rdfc-2022 Data Integrity proof,
//       resolved through the issuer's controller document (assertionMethod);
//   (b) a tampered copy (achievement name changed) must fail with a signature
//       error;
//   (c) each credential against the 1EdTech OB 3.0 JSON Schema (draft 2019-09);
//   (d) the district's BitstringStatusListCredential proof, and each
//       credential's bit (clear for a valid credential, set for a revoked one);
//   (e) the student's CLR 2.0 ClrCredential proof and the credentials in it;
//   (f) a wallet written here (a fresh did:key, Digital Bazaar's signer) takes
//       a credential through Cairn's VC-API exchange: the presentation it
//       signs for the server's challenge earns a copy bound to its DID, and
//       that copy passes (a), (c) and (d) like the others.
// Every document the verifiers need is fetched beforehand; during verification
// the documentLoader answers only from that set and from bundled contexts, so
// no network call can happen. Exits non-zero on any failure.
//
// --dir DIR reads DIR/credentials/*.json, DIR/documents.json ({url: document})
// and optionally DIR/clr.json instead of a server (for developing the checks).
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { createPublicKey, ECDH, verify as cryptoVerify } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as vc from "@digitalbazaar/vc";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite as eddsaRdfc2022CryptoSuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import * as credentialsContext from "@digitalbazaar/credentials-context";
import multikeyContext from "@digitalbazaar/multikey-context";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import { Bitstring } from "@digitalbazaar/bitstring";
import Ajv2019 from "ajv/dist/2019.js";
import addFormats from "ajv-formats";

const here = dirname(fileURLToPath(import.meta.url));
const repoContexts = join(here, "..", "..", "data", "contexts");

const STUDENT = process.env.CAIRN_VERIFY_STUDENT ?? "student-00001";
const PASSWORD = process.env.CAIRN_DEMO_PASSWORD ?? "cairn-demo-2026";

// ---------------------------------------------------------------- contexts
// The W3C VC v2 and Multikey contexts come from Digital Bazaar's packages; the
// 1EdTech contexts (and the old security vocabularies that jsonld-signatures
// frames controller documents with) from the repo's data/contexts, whose
// README maps each URL to its file.
const CONTEXT_FILES = {
  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-3.0.3.json",
  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": "ob-v3p0-3.0.2.json",
  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json": "ob-v3p0-3.0.1.json",
  "https://purl.imsglobal.org/spec/ob/v3p0/context.json": "ob-v3p0.json",
  "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.json",
  "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json": "clr-v2p0-2.0.1.json",
  "https://purl.imsglobal.org/spec/clr/v2p0/context.json": "clr-v2p0.json",
  "https://w3id.org/security/data-integrity/v1": "data-integrity-v1.jsonld",
  "https://www.w3.org/ns/did/v1": "did-v1.jsonld",
  "https://w3id.org/security/v1": "security-v1.jsonld",
  "https://w3id.org/security/v2": "security-v2.jsonld",
};

function bundledContexts() {
  const map = new Map();
  for (const [url, file] of Object.entries(CONTEXT_FILES)) {
    const path = join(repoContexts, file);
    if (existsSync(path)) map.set(url, JSON.parse(readFileSync(path, "utf8")));
  }
  for (const [url, ctx] of credentialsContext.contexts) map.set(url, ctx);
  for (const [url, ctx] of multikeyContext.contexts) map.set(url, ctx);
  return map;
}

/**
 * An offline documentLoader: contexts, plus the documents fetched beforehand
 * (controller documents, status lists). A verification method URL
 * (controller#key-N) resolves to that method inside its controller document.
 */
export function makeDocumentLoader(documents, { live = false } = {}) {
  const contexts = bundledContexts();
  const requested = new Set();
  const loader = async (url) => {
    requested.add(url);
    if (contexts.has(url)) return { contextUrl: null, documentUrl: url, document: structuredClone(contexts.get(url)) };
    // Live: whatever is not a context comes from the network, as a verifier
    // that knows nothing of Cairn fetches it (the fragment's document).
    const base = url.split("#")[0];
    if (live && !documents.has(base) && /^https?:/.test(base)) {
      const r = await fetch(base, { headers: { Accept: "application/ld+json, application/json" } });
      if (!r.ok) throw new Error(`live documentLoader: GET ${base}: HTTP ${r.status}`);
      documents.set(base, await r.json());
      loader.fetched.add(base);
    }
    if (documents.has(url)) return { contextUrl: null, documentUrl: url, document: structuredClone(documents.get(url)) };
    const hash = url.indexOf("#");
    if (hash > 0 && documents.has(url.slice(0, hash))) {
      const controller = documents.get(url.slice(0, hash));
      const methods = [controller.verificationMethod ?? [], controller.assertionMethod ?? []].flat();
      const method = methods.find((m) => typeof m === "object" && (m.id === url || m.id === url.slice(hash)));
      if (method) {
        const document = { "@context": "https://w3id.org/security/multikey/v1", ...structuredClone(method), id: url };
        document.controller ??= controller.id;
        return { contextUrl: null, documentUrl: url, document };
      }
    }
    throw new Error(`offline documentLoader: no local copy of ${url}`);
  };
  loader.requested = requested;
  loader.fetched = new Set();
  return loader;
}

// ---------------------------------------------------------------- checks
const suite = () => new DataIntegrityProof({ cryptosuite: eddsaRdfc2022CryptoSuite });

function errorsOf(result) {
  const out = [];
  const walk = (e) => {
    if (!e) return;
    if (Array.isArray(e)) return e.forEach(walk);
    if (e.errors) walk(e.errors);
    const event = e.details?.event;
    if (event) out.push(`${e.message} (${event.code}: ${JSON.stringify(event.details ?? {})})`);
    else if (e.message) out.push(e.message);
  };
  walk(result.error);
  for (const r of result.results ?? []) if (!r.verified) walk(r.error);
  return [...new Set(out)];
}

/** Verifies the proof only; status is checked apart, against the status list. */
export async function verifyProof(credential, documentLoader) {
  const result = await vc.verifyCredential({
    credential,
    suite: suite(),
    documentLoader,
    checkStatus: async () => ({ verified: true }),
  });
  return { verified: result.verified, errors: result.verified ? [] : errorsOf(result) };
}

export function schemaValidator() {
  const schema = JSON.parse(readFileSync(join(here, "schemas", "ob_v3p0_achievementcredential_schema.json"), "utf8"));
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (doc) => {
    const ok = validate(doc);
    return { ok, errors: ok ? [] : validate.errors.map((e) => `${e.instancePath || "/"} ${e.message}${e.params?.allowedValue ? ` (${e.params.allowedValue})` : ""}`) };
  };
}

export async function readStatusBit(statusListCredential, index) {
  const subject = statusListCredential.credentialSubject;
  let encoded = subject.encodedList;
  if (typeof encoded !== "string") throw new Error("status list has no encodedList");
  // BitstringStatusList v1.0: multibase base64url ("u" prefix) of the GZIP of the bits.
  if (encoded.startsWith("u")) encoded = encoded.slice(1);
  const buffer = await Bitstring.decodeBits({ encoded });
  const list = new Bitstring({ buffer });
  return list.get(index);
}

// ---------------------------------------------------------------- VC-JWT
const B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
function base58Decode(text) {
  let n = 0n;
  for (const ch of text) {
    const v = B58.indexOf(ch);
    if (v < 0) throw new Error(`not base58: ${ch}`);
    n = n * 58n + BigInt(v);
  }
  const bytes = [];
  while (n > 0n) {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  }
  for (const ch of text) {
    if (ch !== "1") break;
    bytes.unshift(0);
  }
  return Buffer.from(bytes);
}

/** The P-256 public key (a JWK) of a JWT `kid`, from the controller documents fetched beforehand. */
function jwkFor(kid, documents) {
  const own = documents.get(kid);
  if (own?.kty) return { kty: own.kty, crv: own.crv, x: own.x, y: own.y };  // kid names the JWK itself
  const controller = documents.get(kid.split("#")[0]);
  const method = [controller?.verificationMethod ?? []].flat().find((m) => m?.id === kid);
  if (!method) return null;
  if (method.publicKeyJwk) return method.publicKeyJwk;
  const mb = method.publicKeyMultibase;
  if (typeof mb === "string" && mb.startsWith("z")) {
    const raw = base58Decode(mb.slice(1));
    if (raw[0] === 0x80 && raw[1] === 0x24) {
      // multicodec p256-pub (0x1200), compressed point
      const point = ECDH.convertKey(raw.subarray(2), "prime256v1", undefined, undefined, "uncompressed");
      return { kty: "EC", crv: "P-256", x: point.subarray(1, 33).toString("base64url"), y: point.subarray(33).toString("base64url") };
    }
  }
  return null;
}

/** Checks a compact VC-JWT (ES256) offline; `null` result when its key is not published. */
export function verifyJwt(jwt, documents) {
  const parts = jwt.trim().split(".");
  if (parts.length !== 3) return { ok: false, message: "not a compact JWS" };
  const header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8"));
  const payload = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
  if (header.alg !== "ES256") return { ok: false, header, payload, message: `alg ${header.alg}` };
  // The issuer's published key; a key the header carries must be that key.
  const published = header.kid ? jwkFor(header.kid, documents) : null;
  if (published && header.jwk && ["kty", "crv", "x", "y"].some((m) => header.jwk[m] !== published[m])) {
    return { ok: false, header, payload, message: `the header's jwk is not the key ${header.kid} names` };
  }
  const jwk = published ?? header.jwk ?? null;
  if (!jwk) return { ok: null, header, payload, message: `key ${header.kid} is not in the issuer's controller document` };
  const key = createPublicKey({ key: jwk, format: "jwk" });
  const ok = cryptoVerify("sha256", Buffer.from(`${parts[0]}.${parts[1]}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(parts[2], "base64url"));
  return { ok, header, payload, message: ok ? `ES256 signature verifies with ${header.kid ?? "the embedded jwk"}` : "ES256 signature does not verify" };
}

// ---------------------------------------------------------------- fetching
async function fetchFromServer(base) {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ username: STUDENT, password: PASSWORD }),
  });
  if (!login.ok) throw new Error(`login as ${STUDENT} failed: HTTP ${login.status}`);
  const csrf = (await login.json()).csrf_token ?? "";
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const get = async (path, { auth = true, json = true } = {}) => {
    const url = path.startsWith("http") ? path : base + path;
    const r = await fetch(url, { headers: { Accept: json ? "application/json, application/ld+json" : "*/*", ...(auth ? { Cookie: cookie } : {}) } });
    if (!r.ok) throw new Error(`GET ${url}: HTTP ${r.status}`);
    return json ? r.json() : r;
  };
  const list = await get(`/api/v1/students/${STUDENT}/credentials`);
  const entries = list.credentials ?? [];
  const credentials = [];
  for (const entry of entries) {
    const credential = await get(entry.links?.json ?? `/api/v1/credentials/${entry.uuid}`);
    let jwt = null;
    if (entry.links?.jwt) jwt = await (await get(entry.links.jwt, { json: false })).text();
    const baked = {};
    if (entry.links?.png) baked.png = credentialFromPng(Buffer.from(await (await get(entry.links.png, { json: false })).arrayBuffer()));
    if (entry.links?.svg) baked.svg = credentialFromSvg(await (await get(entry.links.svg, { json: false })).text());
    credentials.push({ entry, credential, jwt, baked });
  }
  let clr = null;
  if (list.clr) clr = await get(list.clr);

  // (f) The wallet: the student asks for an offer of a valid credential, and
  // the wallet talks to the exchange URL alone (no cookie, only the secret).
  let wallet = null;
  const offered = entries.find((e) => e.status === "valid");
  if (offered) {
    const post = async (url, body, headers = {}) => {
      const r = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json", ...headers }, body: JSON.stringify(body) });
      const text = await r.text();
      if (!r.ok) throw new Error(`POST ${url}: HTTP ${r.status} ${text}`);
      return JSON.parse(text);
    };
    const offer = await post(`${base}/api/v1/credentials/${offered.uuid}/wallet-offer`, {}, { Cookie: cookie, "X-CSRF-Token": csrf });
    const u = new URL(offer.exchange_url);
    const exchange = u.origin === new URL(base).origin ? offer.exchange_url : `${base}${u.pathname}`;
    const request = (await post(exchange, {})).verifiablePresentationRequest;
    const key = await Ed25519Multikey.generate();
    const did = `did:key:${key.publicKeyMultibase}`;
    key.id = `${did}#${key.publicKeyMultibase}`;
    key.controller = did;
    const presentation = vc.createPresentation({ holder: did });
    const signed = await vc.signPresentation({
      presentation,
      suite: new DataIntegrityProof({ signer: key.signer(), cryptosuite: eddsaRdfc2022CryptoSuite }),
      challenge: request.challenge,
      domain: request.domain,
      documentLoader: makeDocumentLoader(new Map()),
    });
    const delivered = await post(exchange, { verifiablePresentation: signed });
    wallet = { did, request, credential: delivered.verifiablePresentation?.verifiableCredential?.[0], uuid: offered.uuid };
    // The copy's documents are those of the stored credentials (same issuer).
    if (wallet.credential) credentials.push({ entry: { ...offered, uuid: `${offered.uuid} wallet copy`, title: `${offered.title} (wallet copy)`, links: {} }, credential: wallet.credential, jwt: null });
  }

  // The public documents the proofs point at: fetched now, anonymously, so
  // the verification itself needs no network. A public URL that is not this
  // server's origin (a configured public_url) is fetched from this server.
  const documents = new Map();
  const notes = [];
  const wanted = new Set();
  const all = [...credentials.map((c) => c.credential), ...(clr ? [clr, ...(clr.credentialSubject?.verifiableCredential ?? [])] : [])];
  for (const c of all) {
    for (const p of [c.proof].flat().filter(Boolean)) if (p.verificationMethod) wanted.add(p.verificationMethod.split("#")[0]);
    for (const s of [c.credentialStatus].flat().filter(Boolean)) if (s.statusListCredential) wanted.add(s.statusListCredential);
  }
  // A JWT's kid names its key document (a JWK) too.
  for (const c of credentials) {
    if (!c.jwt) continue;
    const header = JSON.parse(Buffer.from(c.jwt.trim().split(".")[0], "base64url").toString("utf8"));
    if (typeof header.kid === "string" && /^https?:/.test(header.kid)) wanted.add(header.kid.split("#")[0]);
  }
  const fetchDocument = async (url) => {
    const u = new URL(url);
    const local = new URL(base);
    const fetchUrl = u.origin === local.origin ? url : `${base}${u.pathname}${u.search}`;
    if (fetchUrl !== url) notes.push(`${url} fetched from ${fetchUrl}`);
    documents.set(url, await get(fetchUrl, { auth: false }));
  };
  for (const url of wanted) await fetchDocument(url);
  // A verification method that is a key document of its own names its
  // controller, which the proof purpose check reads (assertionMethod).
  for (const doc of [...documents.values()]) {
    if (typeof doc?.controller === "string" && /^https?:/.test(doc.controller) && !documents.has(doc.controller)) {
      await fetchDocument(doc.controller);
    }
  }
  // OB 2.0, where a credential offers it (shared, and the issuer has an email).
  const ob2 = [];
  for (const { entry } of credentials) {
    if (entry.links?.ob2) ob2.push({ label: `${entry.title} (${entry.uuid})`, problems: await checkOb2(entry.links.ob2, (u) => get(u, { auth: false })) });
  }
  return { credentials, clr, documents, notes, wallet, ob2 };
}

function readFromDir(dir) {
  const credentials = readdirSync(join(dir, "credentials"))
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const credential = JSON.parse(readFileSync(join(dir, "credentials", f), "utf8"));
      return { entry: { uuid: f.replace(/\.json$/, ""), status: "valid" }, credential };
    });
  const documents = new Map(Object.entries(JSON.parse(readFileSync(join(dir, "documents.json"), "utf8"))));
  const clrPath = join(dir, "clr.json");
  const clr = existsSync(clrPath) ? JSON.parse(readFileSync(clrPath, "utf8")) : null;
  return { credentials, clr, documents, notes: [] };
}

// ---------------------------------------------------------------- baked images
/** The OB 3.0 credential baked in a PNG (iTXt keyword "openbadgecredential"), or null. */
export function credentialFromPng(bytes) {
  if (!bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return null;
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.subarray(at + 4, at + 8).toString("latin1");
    const data = bytes.subarray(at + 8, at + 8 + length);
    at += 12 + length;
    if (type !== "iTXt") continue;
    const keywordEnd = data.indexOf(0);
    if (data.subarray(0, keywordEnd).toString("latin1") !== "openbadgecredential") continue;
    if (data[keywordEnd + 1] !== 0) return null; // compressed: not what Cairn writes
    let i = data.indexOf(0, keywordEnd + 3); // language tag
    i = data.indexOf(0, i + 1); // translated keyword
    return JSON.parse(data.subarray(i + 1).toString("utf8"));
  }
  return null;
}

/** The OB 3.0 credential baked in an SVG (<openbadges:credential>), or null. */
export function credentialFromSvg(text) {
  const m = /<openbadges:credential(?:\s[^>]*)?>([\s\S]*?)<\/openbadges:credential>/.exec(text);
  if (!m) return null;
  const body = m[1].replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, "$1").trim();
  return JSON.parse(body);
}

// ---------------------------------------------------------------- OB 2.0
/**
 * openbadges-validator-core's rules for a hosted OB 2.0 assertion, written
 * here: the assertion, its BadgeClass and its Issuer each dereference at
 * their id with the OB 2.0 context and type; the recipient is a salted
 * SHA-256 email hash; the BadgeClass has name, description, image and
 * criteria; the issuer has name, url and email; hosted verification on the
 * issuer's origin; not revoked.
 */
export async function checkOb2(assertionUrl, fetchJson) {
  const problems = [];
  const need = (ok, what) => ok || problems.push(what);
  const ctx = "https://w3id.org/openbadges/v2";
  const assertion = await fetchJson(assertionUrl);
  need([assertion["@context"]].flat().includes(ctx), `assertion @context is not ${ctx}`);
  need([assertion.type].flat().includes("Assertion"), "assertion type is not Assertion");
  need(assertion.id === assertionUrl, `assertion id ${assertion.id} is not where it is hosted`);
  need(["hosted", "HostedBadge"].includes(assertion.verification?.type), `verification type ${assertion.verification?.type}`);
  const r = assertion.recipient ?? {};
  need(r.type === "email" && r.hashed === true && /^sha256\$[0-9a-f]{64}$/.test(r.identity ?? "") && typeof r.salt === "string", `recipient ${JSON.stringify(r)}`);
  need(!Number.isNaN(Date.parse(assertion.issuedOn)), `issuedOn ${assertion.issuedOn}`);
  need(assertion.revoked !== true, "assertion is revoked");
  const badgeUrl = typeof assertion.badge === "string" ? assertion.badge : assertion.badge?.id;
  const badge = await fetchJson(badgeUrl);
  need([badge.type].flat().includes("BadgeClass") && badge.id === badgeUrl, `BadgeClass at ${badgeUrl}: type ${badge.type}, id ${badge.id}`);
  for (const f of ["name", "description", "image", "criteria"]) need(badge[f] !== undefined && badge[f] !== "", `BadgeClass has no ${f}`);
  const issuerUrl = typeof badge.issuer === "string" ? badge.issuer : badge.issuer?.id;
  const issuer = await fetchJson(issuerUrl);
  need(["Issuer", "Profile"].some((t) => [issuer.type].flat().includes(t)) && issuer.id === issuerUrl, `Issuer at ${issuerUrl}: type ${issuer.type}, id ${issuer.id}`);
  for (const f of ["name", "url", "email"]) need(typeof issuer[f] === "string" && issuer[f] !== "", `Issuer has no ${f}`);
  need(new URL(assertionUrl).origin === new URL(issuerUrl).origin, "hosted assertion is not on the issuer's origin");
  return problems;
}

// ---------------------------------------------------------------- main
function tamper(credential) {
  const copy = structuredClone(credential);
  const achievement = copy.credentialSubject?.achievement;
  if (achievement && typeof achievement.name === "string") achievement.name += " (with honours)";
  else copy.name = (copy.name ?? "") + " (altered)";
  return copy;
}

async function main() {
  const args = process.argv.slice(2);
  let source;
  const live = args[0] === "--live";
  if (live) args.shift();
  if (args[0] === "--dir" && args[1]) source = readFromDir(args[1]);
  else {
    const base = (args[0] ?? process.env.CAIRN_BASE_URL ?? "").replace(/\/$/, "");
    if (!base) {
      console.error("usage: verify.mjs BASE_URL | --dir DIR");
      process.exit(2);
    }
    source = await fetchFromServer(base);
  }
  const { credentials, clr, documents, notes, wallet } = source;
  // Live: the proofs' keys and controllers come from the network while
  // verifying (the prefetched set still serves the status lists and JWTs).
  const documentLoader = live ? makeDocumentLoader(new Map(), { live: true }) : makeDocumentLoader(documents);
  const validate = schemaValidator();
  let passed = 0;
  let failed = 0;
  // Details show on failures, and on successes only where they say something.
  const check = (ok, label, detail = "", showOnOk = false) => {
    if (ok) passed++;
    else failed++;
    const say = detail && (!ok || showOnOk);
    console.log(`${ok ? "ok  " : "FAIL"} ${label}${say ? ` — ${detail}` : ""}`);
  };

  for (const n of notes) console.log(`note ${n}`);
  console.log(
    `# ${credentials.length} credential(s) issued to ${STUDENT}; ${documents.size} public document(s) fetched beforehand; ` +
      (live ? "proof keys fetched live while verifying" : "verifying offline"),
  );
  check(credentials.length > 0, "the student has issued credentials");

  const statusLists = new Map();
  for (const [url, doc] of documents) {
    const types = [doc.type].flat();
    if (!types.includes("BitstringStatusListCredential")) continue;
    const r = await verifyProof(doc, documentLoader);
    check(r.verified, `status list ${url}: proof verifies`, r.errors.join("; "));
    statusLists.set(url, doc); // its bits are read below either way; a bad proof has failed above
  }

  for (const { entry, credential } of credentials) {
    const name = entry.title ?? credential.credentialSubject?.achievement?.name ?? credential.name ?? "";
    const label = `${name} (${entry.uuid})`.trim();
    const proof = [credential.proof].flat()[0] ?? {};
    check(proof.type === "DataIntegrityProof" && proof.cryptosuite === "eddsa-rdfc-2022", `${label}: DataIntegrityProof eddsa-rdfc-2022`, `${proof.type} ${proof.cryptosuite}`);

    const r = await verifyProof(credential, documentLoader);
    check(r.verified, `${label}: proof verifies`, r.errors.join("; "));

    const t = await verifyProof(tamper(credential), documentLoader);
    const signatureError = t.errors.some((e) => /signature/i.test(e));
    check(!t.verified && signatureError, `${label}: tampered copy fails with a signature error`, t.verified ? "it verified" : t.errors.join("; "), true);

    const s = validate(credential);
    check(s.ok, `${label}: valid against the OB 3.0 AchievementCredential JSON Schema`, s.errors.slice(0, 5).join("; "));

    for (const [format, baked] of Object.entries(source.credentials.find((c) => c.credential === credential)?.baked ?? {})) {
      check(baked !== null && JSON.stringify(baked) === JSON.stringify(credential), `${label}: the baked ${format.toUpperCase()} carries the same credential`);
      if (!baked) continue;
      const rb = await verifyProof(baked, documentLoader);
      check(rb.verified, `${label}: the credential from the baked ${format.toUpperCase()} verifies`, rb.errors.join("; "));
      const sb = validate(baked);
      check(sb.ok, `${label}: the baked ${format.toUpperCase()}'s credential is valid against the OB 3.0 JSON Schema`, sb.errors.slice(0, 5).join("; "));
    }

    for (const status of [credential.credentialStatus].flat().filter(Boolean)) {
      const list = statusLists.get(status.statusListCredential);
      if (!list) {
        check(false, `${label}: status list ${status.statusListCredential} was fetched`);
        continue;
      }
      const bit = await readStatusBit(list, Number(status.statusListIndex));
      const expectRevoked = entry.status === "revoked";
      check(
        bit === expectRevoked && status.statusPurpose === "revocation",
        `${label}: status bit ${status.statusListIndex} is ${bit ? "set" : "clear"}`,
        `expected ${expectRevoked ? "set (revoked)" : "clear (valid)"}, purpose ${status.statusPurpose}`,
        true,
      );
    }
  }

  // VC-JWT form: the signature (ES256) and that it carries the same credential.
  for (const { entry, credential, jwt } of credentials) {
    if (!jwt) continue;
    const label = `${entry.title ?? entry.uuid} (${entry.uuid})`;
    const r = verifyJwt(jwt, documents);
    const claims = r.payload?.vc ?? r.payload;
    const same = claims?.id === credential.id && claims?.credentialSubject?.achievement?.id === credential.credentialSubject?.achievement?.id;
    if (r.ok === null) console.log(`note ${label}: VC-JWT signature not checked: ${r.message}`);
    else check(r.ok, `${label}: VC-JWT ${r.message}`);
    check(same, `${label}: the VC-JWT carries the same credential`, `jwt id ${claims?.id}`);
  }

  if (source.wallet !== undefined) {
    check(wallet !== null, "a wallet took a valid credential through the VC-API exchange");
    if (wallet) {
      check(wallet.request?.query?.[0]?.type === "DIDAuthentication" && typeof wallet.request?.challenge === "string", "the exchange asked for DIDAuthentication with a challenge", JSON.stringify(wallet.request));
      check(wallet.credential?.credentialSubject?.id === wallet.did, "the wallet copy is bound to the wallet's DID (credentialSubject.id)", `${wallet.credential?.credentialSubject?.id} vs ${wallet.did}`, true);
    }
  }

  if (clr) {
    const r = await verifyProof(clr, documentLoader);
    check(r.verified, `CLR ${clr.name ?? clr.id}: proof verifies`, r.errors.join("; "));
    const inner = clr.credentialSubject?.verifiableCredential ?? [];
    let good = 0;
    const bad = [];
    for (const c of inner) {
      const ri = await verifyProof(c, documentLoader);
      if (ri.verified) good++;
      else bad.push(`${c.id}: ${ri.errors.join("; ")}`);
    }
    check(inner.length > 0 && bad.length === 0, `CLR: ${good}/${inner.length} embedded credential(s) verify`, bad.join(" | "));
  }

  for (const { label, problems } of source.ob2 ?? []) {
    check(problems.length === 0, `${label}: hosted OB 2.0 assertion passes openbadges-validator-core's rules`, problems.join("; "));
  }
  if (live) {
    check(documentLoader.fetched.size > 0, `keys and controllers were fetched live (${documentLoader.fetched.size} document(s))`, [...documentLoader.fetched].join(", "), true);
  } else {
    // Nothing outside the fetched set was asked for (the loader would have thrown).
    const unexpected = [...documentLoader.requested].filter((u) => !documents.has(u) && !documents.has(u.split("#")[0]) && !bundledContexts().has(u));
    check(unexpected.length === 0, "verification used only local documents", unexpected.join(", "));
  }

  console.log(`verify-independent: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    console.error("verify-independent: error:", e?.stack ?? e);
    process.exit(1);
  });
}
