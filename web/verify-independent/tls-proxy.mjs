#!/usr/bin/env node
// A TLS front for a local Cairn server, as a district's reverse proxy would
// be (nginx, Caddy): HTTPS on --port with --cert/--key, each request passed
// to --target over HTTP with its path, method, headers and body, and the
// original Host kept (X-Forwarded-Proto: https). Test tooling for
// scripts/verify-https.sh, not part of the product.
//
//   node tls-proxy.mjs --cert tls.pem --key tls.key --port 8443 --target http://127.0.0.1:8080
import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import { request } from "node:http";

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .reduce((pairs, a, i, all) => (a.startsWith("--") ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
for (const name of ["cert", "key", "port", "target"]) {
  if (!args[name]) {
    console.error(`tls-proxy: --${name} is required`);
    process.exit(2);
  }
}
const target = new URL(args.target);
const server = createServer({ cert: readFileSync(args.cert), key: readFileSync(args.key) }, (req, res) => {
  const upstream = request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, "x-forwarded-proto": "https" } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on("error", (e) => {
    res.writeHead(502, { "content-type": "text/plain" });
    res.end(`tls-proxy: ${e.message}`);
  });
  req.pipe(upstream);
});
server.listen(Number(args.port), "127.0.0.1", () => console.log(`tls-proxy: https://localhost:${args.port}/ -> ${args.target}`));
