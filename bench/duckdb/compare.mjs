// The DuckDB side of bench/duckdb_compare.sh, run by mastery_bench --duckdb
// on the ledger it exported (ratings.csv, badges.csv in --dir). Computes the
// same statuses and all-CPEs badge rule as the engine with DuckDB's best
// queries, timed, and prints one JSON line: times and the same tallies
// (counts and order-independent checksums) the benchmark compares.
import { DuckDBInstance } from '@duckdb/node-api';
import { performance } from 'node:perf_hooks';
import path from 'node:path';

function args() {
  const out = { dir: '', threads: 2, n: 3, threshold: '', formative: 0, repeat: 3 };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in out) || argv[i + 1] === undefined) {
      throw new Error(`compare.mjs: unknown or incomplete option '${argv[i]}'`);
    }
    out[key] = typeof out[key] === 'number' ? Number(argv[i + 1]) : argv[i + 1];
  }
  if (!out.dir || !out.threshold) throw new Error('compare.mjs: --dir and --threshold are required');
  return out;
}

const opt = args();
const fill = (sql) =>
  sql
    .replaceAll('{threshold}', opt.threshold)
    .replaceAll('{formative}', String(opt.formative))
    .replaceAll('{n}', String(opt.n));

// The engine's order within a CPE is (day, recorded, level, fact); level
// order is score order on a scale, so the struct below ranks ratings alike.
const KEY = '(day, recorded, score, fact)';

const MOST_RECENT = {
  arg_max: `
CREATE OR REPLACE TABLE cpe_status AS
SELECT student, badge, cpe, s AS value, s AS total, 1 AS used, s >= {threshold} AS mastered
FROM (SELECT student, badge, cpe, arg_max(score, ${KEY}) AS s
      FROM ratings WHERE kind <> {formative} GROUP BY student, badge, cpe)`,
};

const MEAN_OF_RECENT = {
  window: `
CREATE OR REPLACE TABLE cpe_status AS
SELECT student, badge, cpe, AVG(score) AS value, SUM(score) AS total, COUNT(*) AS used,
       AVG(score) >= {threshold} AS mastered
FROM (SELECT student, badge, cpe, score,
             ROW_NUMBER() OVER (PARTITION BY student, cpe
                                ORDER BY day DESC, recorded DESC, score DESC, fact DESC) AS rn
      FROM ratings WHERE kind <> {formative})
WHERE rn <= {n}
GROUP BY student, badge, cpe`,
  arg_max_n: `
CREATE OR REPLACE TABLE cpe_status AS
SELECT student, badge, cpe, list_avg(s) AS value, list_sum(s) AS total, len(s) AS used,
       list_avg(s) >= {threshold} AS mastered
FROM (SELECT student, badge, cpe, arg_max(score, ${KEY}, {n}) AS s
      FROM ratings WHERE kind <> {formative} GROUP BY student, badge, cpe)`,
};

const BADGES = `
CREATE OR REPLACE TABLE badge_status AS
SELECT g.student, g.badge, g.mastered, g.mastered = b.cpe_count AS rule_met
FROM (SELECT student, badge, SUM(mastered::INTEGER) AS mastered FROM cpe_status
      GROUP BY student, badge) AS g
JOIN badges AS b ON b.badge = g.badge`;

const hash = (key) => `((student * 2654435761 + ${key} * 40503) % 1000000007)`;

async function rows(conn, sql) {
  const reader = await conn.runAndReadAll(sql);
  return reader.getRowsJson();
}

async function tally(conn) {
  const [s] = await rows(
    conn,
    `SELECT COUNT(*), SUM(mastered::INTEGER), SUM(CASE WHEN mastered THEN ${hash('cpe')} END),
            SUM(round(total)::BIGINT) FROM cpe_status`,
  );
  const [b] = await rows(
    conn,
    `SELECT COUNT(*), SUM(rule_met::INTEGER), SUM(CASE WHEN rule_met THEN ${hash('badge')} END)
     FROM badge_status`,
  );
  const n = (v) => String(v ?? 0);
  return {
    statuses: n(s[0]), mastered: n(s[1]), mastered_hash: n(s[2]), score_total: n(s[3]),
    badges: n(b[0]), badges_met: n(b[1]), met_hash: n(b[2]),
  };
}

async function main() {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(opt.threads) });
  const conn = await instance.connect();
  const [[version]] = await rows(conn, 'SELECT version()');
  const started = performance.now();
  const csv = (name) => path.join(opt.dir, name).replaceAll("'", "''");
  await conn.run(`CREATE TABLE ratings AS SELECT * FROM read_csv('${csv('ratings.csv')}', header = true, auto_detect = false, delim = ',',
    columns = {'student': 'BIGINT', 'badge': 'INTEGER', 'cpe': 'INTEGER', 'day': 'INTEGER',
               'recorded': 'BIGINT', 'score': 'DOUBLE', 'fact': 'BIGINT', 'kind': 'INTEGER'})`);
  await conn.run(`CREATE TABLE badges AS SELECT * FROM read_csv('${csv('badges.csv')}', header = true, auto_detect = false, delim = ',',
    columns = {'badge': 'INTEGER', 'cpe_count': 'INTEGER'})`);
  const loadS = (performance.now() - started) / 1000;
  const [[loaded]] = await rows(conn, 'SELECT COUNT(*) FROM ratings');

  const methods = [];
  for (const [method, variants] of [['most_recent', MOST_RECENT], ['mean_of_recent', MEAN_OF_RECENT]]) {
    const out = { method, variants: [] };
    for (const [variant, sql] of Object.entries(variants)) {
      const times = [];
      for (let i = 0; i < opt.repeat; ++i) {
        const t0 = performance.now();
        await conn.run(fill(sql));
        await conn.run(BADGES);
        times.push((performance.now() - t0) / 1000);
      }
      const t = await tally(conn);
      times.sort((a, b) => a - b);
      out.variants.push({ variant, times, best: times[0], median: times[Math.floor(times.length / 2)], tally: t });
      process.stderr.write(`duckdb ${method} ${variant}: best ${times[0].toFixed(3)} s (${times.map((x) => x.toFixed(3)).join(', ')})\n`);
    }
    methods.push(out);
  }
  process.stdout.write(`${JSON.stringify({ version, threads: opt.threads, load_s: loadS, ratings: String(loaded), methods })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
