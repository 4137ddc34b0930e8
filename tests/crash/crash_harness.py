#!/usr/bin/env python3
"""Crash harness: kill -9 `cairn serve` while clients write, restart, check.

Each cycle starts the server on the same database, lets several clients
stream writes through the REST API (ratings, voids of their own ratings,
file uploads, award proposals/confirmations/revocations), and kills the
server with SIGKILL after a random time. With the server down it checks:

  * every acknowledged fact (a 2xx answer a client received) is in the
    database, as acknowledged (ratings by id, student, CPE, level and note;
    voids by target; uploads by id and SHA-256; award steps by count);
  * PRAGMA integrity_check is ok;
  * every file the database refers to is in the blob store with its size
    (and, once per file, its SHA-256);
  * `cairn blobs sweep --older-than 0` removes the orphans (files written
    but never referred to, unfinished uploads) and afterwards the store holds
    exactly the referenced files and no temp files.

At the end the server starts once more and answers for an acknowledged
rating. Prints the figures; exits 1 on any failure.

Usage: crash_harness.py --cairn build/cairn [--cycles 1000] [--clients 4]
"""

import argparse
import hashlib
import http.client
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter

PASSWORD = "cairn-demo-2026"
LEVELS = ["not_yet", "emerging", "proficient", "advanced"]
CPES = ["M101.1", "M101.2", "M101.3", "M101.4"]
AWARD_BADGES = ["M101", "M102", "M103"]
AWARD_STEPS = ["propose", "confirm", "revoke"]


class Failures:
    def __init__(self):
        self.items = []
        self.lock = threading.Lock()

    def add(self, message):
        with self.lock:
            self.items.append(message)
        print("FAIL: " + message, flush=True)


class Acks:
    """What the server acknowledged, shared by the client threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.ratings = {}  # id -> (student, cpe, level, note)
        self.voids = set()  # rating ids
        self.uploads = {}  # artifact id -> sha256
        self.awards = Counter()  # (student, badge, action) -> acknowledged steps
        self.refused = Counter()  # status -> count (4xx/5xx answers: not facts)

    def facts(self):
        return len(self.ratings) + len(self.voids) + len(self.uploads) + sum(self.awards.values())


class Server:
    def __init__(self, cairn, db, work):
        self.cairn, self.db, self.work = cairn, db, work
        self.proc = None
        self.port = None

    def start(self, timeout=60):
        out_path = os.path.join(self.work, "server.out")
        err_path = os.path.join(self.work, "server.err")
        with open(out_path, "w") as out, open(err_path, "a") as err:
            self.proc = subprocess.Popen(
                [self.cairn, "serve", "--db", self.db, "--port", "0", "--no-log", "--dev"],
                stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        deadline = time.time() + timeout
        while time.time() < deadline:
            with open(out_path) as out:
                text = out.read()
            marker = "http://127.0.0.1:"
            if "Cairn is serving" in text and marker in text:
                self.port = int(text.split(marker, 1)[1].split("/", 1)[0])
                return
            if self.proc.poll() is not None:
                raise RuntimeError("server exited with %s: %s" % (
                    self.proc.returncode, open(err_path).read()[-2000:]))
            time.sleep(0.02)
        raise RuntimeError("server did not start in %d s" % timeout)

    def kill(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=60)


def request(conn, method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    return response.status, response.getheader("Set-Cookie"), data


def make_token(port):
    """An admin's API token with the write scope (POST /api/v1/tokens)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    status, cookie, data = request(
        conn, "POST", "/api/v1/auth/login",
        json.dumps({"username": "admin", "password": PASSWORD}),
        {"Content-Type": "application/json"})
    if status != 200:
        raise RuntimeError("admin login: %s %s" % (status, data[:200]))
    csrf = json.loads(data)["csrf_token"]
    status, _, data = request(
        conn, "POST", "/api/v1/tokens",
        json.dumps({"name": "crash-harness", "scopes": ["read", "write"]}),
        {"Content-Type": "application/json", "Cookie": cookie.split(";", 1)[0],
         "X-CSRF-Token": csrf})
    if status != 201:
        raise RuntimeError("token: %s %s" % (status, data[:200]))
    return json.loads(data)["token"]


class Client(threading.Thread):
    """Writes until the server dies, recording what was acknowledged."""

    def __init__(self, number, clients, students, port, token, acks, stop, rng, cycle, state):
        super().__init__(daemon=True)
        self.number, self.port, self.token = number, port, token
        self.acks, self.stop_event, self.rng, self.cycle = acks, stop, rng, cycle
        self.students = [s for i, s in enumerate(students) if i % clients == number]
        self.state = state  # kept across cycles: voidable ratings, next award steps
        self.sent = 0

    def headers(self, content_type="application/json"):
        return {"Authorization": "Bearer " + self.token, "Content-Type": content_type}

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            while not self.stop_event.is_set():
                op = self.rng.choices(["rating", "void", "upload", "award"], [55, 15, 15, 15])[0]
                getattr(self, op)(conn)
                self.sent += 1
        except (OSError, http.client.HTTPException):
            pass  # the server was killed: whatever was in flight is not acknowledged
        finally:
            conn.close()

    def refused(self, status, data):
        with self.acks.lock:
            self.acks.refused[status] += 1
        if status >= 500:
            # Not a lost fact (nothing was acknowledged), but worth seeing.
            print("note: %d %s" % (status, data[:160]), flush=True)

    def rating(self, conn):
        student = self.rng.choice(self.students)
        body = {"student": student, "cpe": self.rng.choice(CPES),
                "level": self.rng.choice(LEVELS),
                "demonstrated_on": "2026-%02d-%02d" % (self.rng.randint(1, 6),
                                                       self.rng.randint(1, 28)),
                "note": "crash c%d w%d n%d" % (self.cycle, self.number, self.sent)}
        status, _, data = request(conn, "POST", "/api/v1/ratings", json.dumps(body),
                                  self.headers())
        if status == 201:
            fact = json.loads(data)["fact_id"]
            with self.acks.lock:
                self.acks.ratings[fact] = (student, body["cpe"], body["level"], body["note"])
            self.state["voidable"].append(fact)
        else:
            self.refused(status, data)

    def void(self, conn):
        if not self.state["voidable"]:
            return self.rating(conn)
        target = self.state["voidable"].pop(self.rng.randrange(len(self.state["voidable"])))
        status, _, data = request(conn, "POST", "/api/v1/ratings/%d/void" % target,
                                  json.dumps({"reason": "crash harness void"}), self.headers())
        if status == 200:
            with self.acks.lock:
                self.acks.voids.add(target)
        else:
            self.refused(status, data)

    def upload(self, conn):
        student = self.rng.choice(self.students)
        size_class = self.rng.random()
        if size_class < 0.80:
            size = self.rng.randint(1, 32 * 1024)
        elif size_class < 0.98:
            size = self.rng.randint(64 * 1024, 512 * 1024)
        else:
            size = self.rng.randint(1 << 20, 3 << 20)
        line = ("crash c%d w%d n%d " % (self.cycle, self.number, self.sent)).encode()
        content = line + bytes(self.rng.choice(b"abcdefghij klmnop\n") for _ in range(64)) * (
            size // 64 + 1)
        content = content[:max(size, len(line))]
        boundary = "crash%016x" % self.rng.getrandbits(64)
        body = (("--%s\r\nContent-Disposition: form-data; name=\"file\"; "
                 "filename=\"notes.txt\"\r\nContent-Type: text/plain\r\n\r\n") % boundary
                ).encode() + content + ("\r\n--%s--\r\n" % boundary).encode()
        status, _, data = request(conn, "POST", "/api/v1/students/%s/artifacts" % student, body,
                                  self.headers("multipart/form-data; boundary=" + boundary))
        if status == 201:
            artifact = json.loads(data)["artifacts"][0]
            if artifact["sha256"] != hashlib.sha256(content).hexdigest():
                FAILURES.add("upload answered sha256 %s for other bytes" % artifact["sha256"])
            with self.acks.lock:
                self.acks.uploads[artifact["id"]] = artifact["sha256"]
        else:
            self.refused(status, data)

    def award(self, conn):
        student = self.rng.choice(self.students)
        badge = self.rng.choice(AWARD_BADGES)
        key = (student, badge)
        step = self.state["award_step"].get(key, 0)
        action = AWARD_STEPS[step]
        status, _, data = request(
            conn, "POST", "/api/v1/students/%s/badges/%s/award" % (student, badge),
            json.dumps({"action": action, "reason": "crash harness"}), self.headers())
        # Acknowledged or refused (409: our idea of the state was wrong, e.g.
        # an unacknowledged step was committed before a kill): next step.
        self.state["award_step"][key] = (step + 1) % len(AWARD_STEPS)
        if status == 200:
            recorded = {"propose": "proposed", "confirm": "confirmed", "revoke": "revoked"}[action]
            with self.acks.lock:
                self.acks.awards[(student, badge, recorded)] += 1
        else:
            self.refused(status, data)


def blob_path(files, sha256):
    return os.path.join(files, "sha256", sha256[:2], sha256[2:4], sha256)


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Checker:
    def __init__(self, db, files):
        self.db, self.files = db, files
        self.hashed = set()  # blobs whose SHA-256 was checked (they never change)
        self.fact_checks = 0
        self.blob_checks = 0
        self.integrity_ok = 0

    def check(self, acks, cycle):
        conn = sqlite3.connect(self.db, timeout=30)
        try:
            integrity = conn.execute("PRAGMA integrity_check").fetchall()
            if integrity != [("ok",)]:
                FAILURES.add("cycle %d: integrity_check: %s" % (cycle, integrity[:5]))
            else:
                self.integrity_ok += 1
            ratings = {row[0]: row[1:] for row in conn.execute(
                "SELECT r.id, p.sourced_id, r.cpe_id, r.level_id, r.note FROM ratings r "
                "JOIN people p ON p.id = r.student_id WHERE r.note LIKE 'crash %'")}
            voids = {row[0] for row in conn.execute("SELECT target FROM voids")}
            artifacts = {row[0]: (row[1], row[2]) for row in conn.execute(
                "SELECT id, sha256, size FROM artifacts")}
            awards = Counter({(row[0], row[1], row[2]): row[3] for row in conn.execute(
                "SELECT p.sourced_id, a.badge_code, a.action, COUNT(*) FROM awards a "
                "JOIN people p ON p.id = a.student_id GROUP BY 1, 2, 3")})
        finally:
            conn.close()

        with acks.lock:
            for fact, expected in acks.ratings.items():
                if ratings.get(fact) != expected:
                    FAILURES.add("cycle %d: acknowledged rating %d is %s, expected %s" % (
                        cycle, fact, ratings.get(fact), expected))
            for target in acks.voids:
                if target not in voids:
                    FAILURES.add("cycle %d: acknowledged void of rating %d missing" % (
                        cycle, target))
            for artifact, sha256 in acks.uploads.items():
                if artifacts.get(artifact, (None,))[0] != sha256:
                    FAILURES.add("cycle %d: acknowledged upload %d (%s) is %s" % (
                        cycle, artifact, sha256, artifacts.get(artifact)))
            for key, count in acks.awards.items():
                if awards[key] < count:
                    FAILURES.add("cycle %d: %d acknowledged award steps %s, %d recorded" % (
                        cycle, count, key, awards[key]))
            self.fact_checks += acks.facts()

        referenced = {}
        for sha256, size in artifacts.values():
            referenced[sha256] = size
        for sha256, size in referenced.items():
            path = blob_path(self.files, sha256)
            self.blob_checks += 1
            try:
                actual = os.path.getsize(path)
            except OSError:
                FAILURES.add("cycle %d: file %s referenced by the database is missing" % (
                    cycle, sha256))
                continue
            if actual != size:
                FAILURES.add("cycle %d: file %s has %d bytes, the database says %d" % (
                    cycle, sha256, actual, size))
            elif sha256 not in self.hashed:
                if file_sha256(path) != sha256:
                    FAILURES.add("cycle %d: file %s is damaged" % (cycle, sha256))
                self.hashed.add(sha256)
        return set(referenced)

    def stored(self):
        found = set()
        root = os.path.join(self.files, "sha256")
        for folder, _, names in os.walk(root):
            found.update(names)
        temp = os.path.join(self.files, "tmp")
        temps = os.listdir(temp) if os.path.isdir(temp) else []
        return found, temps


def sweep(cairn, db):
    run = subprocess.run([cairn, "blobs", "sweep", "--db", db, "--older-than", "0", "--json"],
                         capture_output=True, text=True)
    if run.returncode != 0:
        FAILURES.add("blobs sweep exited %d: %s" % (run.returncode, run.stderr.strip()))
    try:
        return json.loads(run.stdout)
    except ValueError:
        return {}


FAILURES = Failures()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cairn", default=os.environ.get("CAIRN"), help="the cairn binary")
    parser.add_argument("--cycles", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: time)")
    parser.add_argument("--min-run", type=float, default=0.05, help="seconds before a kill, min")
    parser.add_argument("--max-run", type=float, default=0.8, help="seconds before a kill, max")
    parser.add_argument("--work", help="work directory (default: a new temp dir, removed)")
    parser.add_argument("--summary", help="write the figures as JSON to this file")
    args = parser.parse_args()
    if not args.cairn:
        parser.error("give --cairn or set CAIRN")
    cairn = os.path.abspath(args.cairn)
    seed = args.seed if args.seed is not None else int(time.time())
    rng = random.Random(seed)
    work = args.work or tempfile.mkdtemp(prefix="cairn_crash_")
    os.makedirs(work, exist_ok=True)
    db = os.path.join(work, "crash.db")
    files = db + "-files"
    started = time.time()
    print("crash harness: %d cycles, %d clients, seed %d, work %s" % (
        args.cycles, args.clients, seed, work), flush=True)

    subprocess.run([cairn, "demo", "--db", db, "--students", str(args.students), "--seed", "7"],
                   check=True, stdout=subprocess.DEVNULL)
    server = Server(cairn, db, work)
    server.start()
    token = make_token(server.port)
    server.kill()  # the token was acknowledged: it must survive too

    students = ["student-%05d" % n for n in range(1, args.students + 1)]
    acks = Acks()
    checker = Checker(db, files)
    states = [{"voidable": [], "award_step": {}} for _ in range(args.clients)]
    swept = Counter()
    requests_sent = 0
    for cycle in range(1, args.cycles + 1):
        try:
            server.start()
        except RuntimeError as error:
            FAILURES.add("cycle %d: restart failed: %s" % (cycle, error))
            break
        stop = threading.Event()
        clients = [Client(n, args.clients, students, server.port, token, acks, stop,
                          random.Random(rng.getrandbits(64)), cycle, states[n])
                   for n in range(args.clients)]
        for client in clients:
            client.start()
        time.sleep(rng.uniform(args.min_run, args.max_run))
        server.kill()
        stop.set()
        for client in clients:
            client.join(timeout=30)
            if client.is_alive():
                FAILURES.add("cycle %d: client %d still waiting 30 s after the kill" % (
                    cycle, client.number))
            requests_sent += client.sent

        referenced = checker.check(acks, cycle)
        report = sweep(cairn, db)
        swept["orphans"] += len(report.get("orphans_removed", []))
        swept["orphan_bytes"] += report.get("orphan_bytes", 0)
        swept["temp_files"] += report.get("temp_files_removed", 0)
        swept["previews"] += report.get("previews_removed", 0)
        if report.get("missing"):
            FAILURES.add("cycle %d: sweep found referenced files missing: %s" % (
                cycle, report["missing"][:5]))
        stored, temps = checker.stored()
        if stored != referenced:
            FAILURES.add("cycle %d: after the sweep the store has %d unreferenced and lacks %d" % (
                cycle, len(stored - referenced), len(referenced - stored)))
        if temps:
            FAILURES.add("cycle %d: temp files left after the sweep: %s" % (cycle, temps[:5]))
        if cycle % 50 == 0 or cycle == args.cycles:
            print("cycle %d: %d facts acknowledged, %d orphans and %d temp files swept, "
                  "%d failures, %.0f s" % (cycle, acks.facts(), swept["orphans"],
                                           swept["temp_files"], len(FAILURES.items),
                                           time.time() - started), flush=True)

    # Once more, gracefully: the server answers for what it acknowledged.
    if acks.ratings and not FAILURES.items:
        server.start()
        fact, (student, _, _, note) = max(acks.ratings.items())
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        status, _, data = request(conn, "GET", "/api/v1/students/%s/evidence" % student,
                                  headers={"Authorization": "Bearer " + token})
        if status != 200 or note.encode() not in data:
            FAILURES.add("after restart the API does not show rating %d (%d)" % (fact, status))
        conn.close()
        if server.stop() != 0:
            FAILURES.add("graceful stop after the last cycle did not exit 0")

    figures = {
        "cycles": args.cycles, "clients": args.clients, "seed": seed,
        "requests": requests_sent,
        "facts_acknowledged": acks.facts(),
        "ratings": len(acks.ratings), "voids": len(acks.voids), "uploads": len(acks.uploads),
        "award_steps": sum(acks.awards.values()),
        "refused": {str(k): v for k, v in sorted(acks.refused.items())},
        "fact_checks": checker.fact_checks,
        "blobs": len(checker.hashed), "blob_checks": checker.blob_checks,
        "integrity_ok": checker.integrity_ok,
        "orphans_swept": swept["orphans"], "orphan_bytes_swept": swept["orphan_bytes"],
        "temp_files_swept": swept["temp_files"], "previews_swept": swept["previews"],
        "failures": len(FAILURES.items), "seconds": round(time.time() - started, 1),
    }
    print(json.dumps(figures, indent=2))
    if args.summary:
        with open(args.summary, "w") as out:
            json.dump(figures, out, indent=2)
    if FAILURES.items:
        print("%d failures; work directory kept: %s" % (len(FAILURES.items), work))
        return 1
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
