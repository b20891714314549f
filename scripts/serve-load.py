#!/usr/bin/env python3
"""Load test of `explainer serve` while files change (not a timed test: it prints figures).

1. 64 clients fetch pages as fast as they can for 30 s while a page is edited every 100 ms;
   counts responses that are not 200, torn pages (not ending in </html>, or shorter than their
   Content-Length) and connection errors.
2. 1,000 idle connections are opened; normal requests made meanwhile must be answered within
   a second.

Usage: python3 scripts/serve-load.py [path/to/explainer]   (default: target/release/explainer)
"""
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/explainer")
CLIENTS, SECONDS, EDIT_EVERY, IDLE = 64, 30.0, 0.1, 1000
PAGES = ["/", "/docs/", "/docs/guide/", "/zh/", "/css/site.css", "/nope/"]


def main():
    tmp = tempfile.mkdtemp()
    site = os.path.join(tmp, "site")
    shutil.copytree(os.path.join(ROOT, "tests/sites/basic"), site)
    server = subprocess.Popen([BIN, "serve", "--port", "0", "--root", site],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = None
        for line in server.stdout:
            m = re.search(r"serving http://([\d.]+):(\d+)/", line)
            if m:
                url = (m.group(1), int(m.group(2)))
                break
        threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
        load(url, site)
        idle(url)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(tmp, ignore_errors=True)


def load(addr, site):
    counts = {"requests": 0, "non_200": 0, "torn": 0, "errors": 0, "edits": 0}
    lock = threading.Lock()
    stop = time.monotonic() + SECONDS

    def client(i):
        conn = None
        n = 0
        while time.monotonic() < stop:
            path = PAGES[(i + n) % len(PAGES)]
            n += 1
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(*addr, timeout=10)
                conn.request("GET", path, headers={"Host": f"{addr[0]}:{addr[1]}"})
                r = conn.getresponse()
                body = r.read()
                expected = int(r.getheader("Content-Length", "-1"))
                torn = (expected >= 0 and len(body) != expected) or (
                    path.endswith("/") and not body.rstrip().endswith(b"</html>"))
                ok_status = r.status == 200 or (path == "/nope/" and r.status == 404)
                with lock:
                    counts["requests"] += 1
                    counts["non_200"] += not ok_status
                    counts["torn"] += torn
            except Exception:
                with lock:
                    counts["errors"] += 1
                conn = None

    def editor():
        page = os.path.join(site, "content/docs/guide.md")
        original = open(page, encoding="utf-8").read()
        k = 0
        while time.monotonic() < stop:
            with open(page, "w", encoding="utf-8") as f:
                f.write(original + f"\nEdit number {k}.\n")
            k += 1
            time.sleep(EDIT_EVERY)
        counts["edits"] = k

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    threads.append(threading.Thread(target=editor))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"load: {CLIENTS} clients, {SECONDS:.0f} s, an edit every {EDIT_EVERY * 1000:.0f} ms "
          f"({counts['edits']} edits): {counts['requests']} requests "
          f"({counts['requests'] / SECONDS:.0f}/s), {counts['non_200']} unexpected statuses, "
          f"{counts['torn']} torn pages, {counts['errors']} errors")


def idle(addr):
    socks = []
    for _ in range(IDLE):
        s = socket.create_connection(addr)
        socks.append(s)
    slowest = 0.0
    failures = 0
    for _ in range(20):
        started = time.monotonic()
        try:
            conn = http.client.HTTPConnection(*addr, timeout=5)
            conn.request("GET", "/", headers={"Host": f"{addr[0]}:{addr[1]}"})
            r = conn.getresponse()
            r.read()
            failures += r.status != 200
        except Exception:
            failures += 1
        slowest = max(slowest, time.monotonic() - started)
    print(f"idle: {IDLE} idle connections open; 20 normal requests, slowest "
          f"{slowest * 1000:.0f} ms, {failures} failed")
    for s in socks:
        s.close()


if __name__ == "__main__":
    main()
