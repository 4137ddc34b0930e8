#!/usr/bin/env python3
"""Issuance rate through the API, for bench/state_bench.sh.

Reads the pending awards (GET /api/v1/awards/pending), confirms up to N of
them (POST /api/v1/students/{student}/badges/{badge}/award, action confirm:
the server records the confirmation and issues the credential in the same
request) over a few keep-alive connections, and prints one line:

  confirmed=N errors=E seconds=S rate=R first10=F last10=L ratio=L/F PASS|FAIL

first10 and last10 are the confirmations per second of the first and last
tenth of the requests (by completion time); PASS when last10 >= 0.9 first10
and no request failed. Exit status 0 on PASS, 1 on FAIL, 2 when the server
cannot be read.

Usage: confirm_rate.py BASE_URL TOKEN [--count N] [--connections C]
"""
import argparse
import http.client
import json
import sys
import threading
import time
import urllib.parse


def connect(base):
    url = urllib.parse.urlsplit(base)
    return http.client.HTTPConnection(url.hostname, url.port or 80, timeout=600)


def pending_awards(base, token):
    conn = connect(base)
    conn.request("GET", "/api/v1/awards/pending", headers={"Authorization": "Bearer " + token})
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise RuntimeError("GET /api/v1/awards/pending: HTTP %d %s" % (response.status, body[:200]))
    return [(item["student"]["id"], item["badge"]) for item in json.loads(body)]


def confirm_all(base, token, awards, connections):
    """Confirms every award; returns (completion times, error count)."""
    lock = threading.Lock()
    next_index = [0]
    done = []
    errors = [0]
    headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    body = json.dumps({"action": "confirm"})

    def worker():
        conn = connect(base)
        while True:
            with lock:
                if next_index[0] >= len(awards):
                    return
                student, badge = awards[next_index[0]]
                next_index[0] += 1
            path = "/api/v1/students/%s/badges/%s/award" % (
                urllib.parse.quote(student), urllib.parse.quote(badge))
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = connect(base)
            with lock:
                done.append(time.monotonic())
                if not ok:
                    errors[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return start, sorted(done), errors[0]


def tenth_rate(start, times, first):
    """Confirmations per second over the first or last tenth of `times`."""
    n = max(1, len(times) // 10)
    if first:
        return n / max(times[n - 1] - start, 1e-9)
    return n / max(times[-1] - times[-n - 1] if len(times) > n else times[-1] - start, 1e-9)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base")
    parser.add_argument("token")
    parser.add_argument("--count", type=int, default=0, help="at most N (0: every pending one)")
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    try:
        awards = pending_awards(args.base, args.token)
    except (OSError, RuntimeError, ValueError, KeyError) as e:
        print("confirm_rate: %s" % e, file=sys.stderr)
        return 2
    if args.count > 0:
        awards = awards[: args.count]
    if len(awards) < 10:
        print("confirm_rate: only %d pending awards; need at least 10" % len(awards), file=sys.stderr)
        return 2
    start, times, errors = confirm_all(args.base, args.token, awards, args.connections)
    seconds = times[-1] - start
    first = tenth_rate(start, times, True)
    last = tenth_rate(start, times, False)
    ratio = last / first
    verdict = "PASS" if ratio >= 0.9 and errors == 0 else "FAIL"
    print("confirmed=%d errors=%d seconds=%.1f rate=%.1f first10=%.1f last10=%.1f ratio=%.2f %s" %
          (len(times) - errors, errors, seconds, len(times) / seconds, first, last, ratio, verdict))
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
