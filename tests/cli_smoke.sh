#!/usr/bin/env bash
# End-to-end run of the `cairn` command line on a small demo district: every
# command, its --json output, and that errors name the place and change
# nothing. Usage: CAIRN=path/to/cairn tests/cli_smoke.sh SOURCE_DIR
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
src="$1"
cairn="${CAIRN:?set CAIRN to the cairn binary}"
make_workdir
db="$work/cairn.db"

help=$("$cairn" --help)
for cmd in init catalog settings demo record void progress explain award tracking-sheet; do
  check "help lists $cmd" contains "$help" "$cmd"
done

# The version itself is store_test's to pin (it grows with every migration).
check "init" grep -qE "^Database .* is at schema version [0-9]+$" <<<"$("$cairn" init --db "$db" --catalog none)"

# A broken catalog is refused with its JSON path, and nothing is stored.
cat >"$work/bad.json" <<'JSON'
{"format": "cairn-catalog", "format_version": 1,
 "framework": {"id": "x", "title": "X"},
 "scales": [{"id": "s", "levels": [{"id": "a", "label": "A", "score": 1},
                                   {"id": "b", "label": "B", "score": 2}]}],
 "badges": [{"code": "B1", "title": "One", "cpes": []}]}
JSON
set +e
out=$("$cairn" catalog load "$work/bad.json" --db "$db" 2>&1)
code=$?
set -e
check "bad catalog exits 1" test "$code" -eq 1
check "bad catalog names file and path" contains "$out" "bad.json: \$.badges[0].cpes: a badge needs at least one CPE"
check "bad catalog names scale problem" contains "$out" "\$.scales[0].levels: no level counts as mastery"
set +e
"$cairn" catalog show --db "$db" >/dev/null 2>&1
code=$?
set -e
check "no catalog after failed load" test "$code" -eq 1

out=$("$cairn" catalog load "$src/data/catalogs/xq-math.json" --db "$db" --json)
check "catalog load json" contains "$out" '"badges": 23'
out=$("$cairn" catalog show --db "$db")
check "catalog show lists M215" contains "$out" "M215  Inference and Making Conclusions  (5 CPEs, 17 indicators"

out=$("$cairn" demo --db "$db" --students 80 --seed 3 --json)
check "demo students" contains "$out" '"students": 80'

out=$("$cairn" progress --db "$db" --student student-00001 --json)
check "progress json has pathway states" contains "$out" '"state": "locked"'

# Record a rating, see it in the explanation, void it, see it gone.
out=$("$cairn" record --db "$db" --student student-00001 --cpe M100.1 --level advanced \
  --date 2026-01-15 --by teacher-001 --kind summative --note "Strong estimate" --json)
fact=$(sed -n 's/.*"fact_id": \([0-9]*\).*/\1/p' <<<"$out" | head -1)
check "record returns a fact id" test -n "$fact"
out=$("$cairn" explain --db "$db" --student student-00001 --badge M100)
check "explain shows the new rating" contains "$out" "[x] M100.1 M100 CPE 1: At mastery: Advanced (4)"
check "void" contains "$("$cairn" void --db "$db" --fact "$fact" --reason "wrong student" --by teacher-001)" "Voided rating $fact"
out=$("$cairn" explain --db "$db" --student student-00001 --badge M100)
check "voided rating no longer counts" contains "$out" "[ ] M100.1 M100 CPE 1: No evidence yet."

# Bad input names the field and writes nothing.
set +e
out=$("$cairn" record --db "$db" --student student-00001 --cpe M100.1 --level superb \
  --date 2026-01-15 --by teacher-001 2>&1)
code=$?
set -e
check "bad level exits 1" test "$code" -eq 1
check "bad level names the field" contains "$out" "level: 'superb' is not a level"
set +e
out=$("$cairn" record --db "$db" --student student-00001 --cpe M100.1 --level advanced \
  --date 2999-01-01 --by teacher-001 2>&1)
set -e
check "future date refused" contains "$out" "demonstrated_on: 2999-01-01 is in the future"

# Awards: meet M100 for a student, see the proposal, confirm it.
for i in 1 2 3 4 5 6 7 8; do
  kind=summative
  [ "$i" -eq 8 ] && kind=performance_task
  "$cairn" record --db "$db" --student student-00002 --cpe "M100.$i" --level proficient \
    --date 2026-02-0"$i" --by teacher-001 --kind "$kind" >/dev/null
done
out=$("$cairn" progress --db "$db" --student student-00002)
check "proposal shows in progress" contains "$out" "award proposed"
out=$("$cairn" award confirm --db "$db" --student student-00002 --badge M100 --by teacher-001)
check "award confirm" contains "$out" "is now confirmed"
set +e
out=$("$cairn" award revoke --db "$db" --student student-00002 --badge M100 --by teacher-001 2>&1)
set -e
check "revoke needs a reason" contains "$out" "reason: a revocation needs a reason"

"$cairn" tracking-sheet --db "$db" --out "$work/sheet.csv" >/dev/null
header=$(head -1 "$work/sheet.csv" | tr -d '\r')
check "tracking sheet header" test "$header" = "Student Name,Student ID,Teacher Name,School,Course,Section,Badge,Completed,Date of Completion,What Remains Incomplete,Last Evidence,Supports"
check "tracking sheet has rows" test "$(wc -l <"$work/sheet.csv")" -gt 80

out=$("$cairn" settings --db "$db" --auto-award on --method mean_of_recent --n 2)
check "settings" contains "$out" "Auto-award: on"

finish_checks
