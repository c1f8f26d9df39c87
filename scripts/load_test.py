"""Load test of `presslens serve` (not a timed test): browsing clients while large articles
are analysed.

Starts `presslens serve` on a free loopback port over a temporary corpus, posts one small
article through the form (so the corpus has an article page and the form's worker has
loaded the model), then runs ``--clients`` threads browsing ``/``, ``/sources``,
``/api/articles`` and the article page for ``--seconds`` while ``--articles`` large
articles (an example article repeated up to ``--size`` bytes) are submitted through the
form, as a browser would (token, cookie, Origin). Reports requests/s and the p50/p95/max
latency of the browsing clients, and where the large articles got to. Loopback only; the
request count and the time are bounded; it stops the server itself.

    .venv/bin/python scripts/load_test.py [--seconds 60] [--clients 20] [--workers 1]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples" / "articles").glob("*.txt"))
HOST = "127.0.0.1"


@dataclass
class Browser:
    """One client with its own keep-alive connection and cookie, like a browser tab."""

    port: int
    timeout: float = 30.0
    cookie: str = ""
    conn: http.client.HTTPConnection | None = field(default=None, repr=False)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        sent = {"Host": f"{HOST}:{self.port}", **(headers or {})}
        if self.cookie:
            sent["Cookie"] = self.cookie
        for attempt in (1, 2):  # once more on a connection the server closed
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=sent)
                response = self.conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                continue
            got = {k.lower(): v for k, v in response.getheaders()}
            if "set-cookie" in got:
                self.cookie = got["set-cookie"].split(";", 1)[0]
            if got.get("connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            return response.status, got, data
        raise AssertionError("unreachable")

    def submit(self, name: str, data: bytes) -> str:
        """Post an article through the form as a browser would; its job page's path."""
        status, _, page = self.request("GET", "/analyze")
        match = re.search(rb'action="(/analyze\?csrf=[^"]+)"', page)
        if status != 200 or match is None:
            raise RuntimeError(f"the form did not load ({status})")
        boundary = "presslensloadtest"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                f"filename=\"{name}\"\r\nContent-Type: text/plain\r\n\r\n").encode() + data + (
            f"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"published\"\r\n\r\n"
            f"2023-06-28\r\n--{boundary}--\r\n").encode()
        status, headers, answer = self.request(
            "POST", match.group(1).decode(), body=body, headers={
                "Origin": f"http://{HOST}:{self.port}",
                "Content-Type": f"multipart/form-data; boundary={boundary}"})
        if status != 303:
            raise RuntimeError(f"the form answered {status}: {answer[:200]!r}")
        return headers["location"]

    def job(self, location: str) -> dict[str, object]:
        status, _, data = self.request("GET", "/api" + location)
        if status != 200:
            raise RuntimeError(f"{location}: {status}")
        job: dict[str, object] = json.loads(data)
        return job


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def big_article(source: Path, size: int) -> bytes:
    """The example repeated, paragraph by paragraph, up to ``size`` bytes."""
    text = source.read_text("utf-8").strip() + "\n\n"
    return (text * max(1, size // len(text.encode()))).encode()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="browsing time")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--articles", type=int, default=3, help="large articles posted")
    parser.add_argument("--size", type=int, default=200_000, help="bytes of each")
    parser.add_argument("--workers", type=int, default=None,
                        help="serve --workers (default: the [web] setting)")
    parser.add_argument("--max-requests", type=int, default=200_000,
                        help="stop browsing after this many requests in all")
    args = parser.parse_args()
    if not 1 <= args.articles <= len(EXAMPLES):
        parser.error(f"--articles must be 1 to {len(EXAMPLES)}")

    with tempfile.TemporaryDirectory(prefix="presslens-load-") as tmp:
        port = free_port()
        command = [sys.executable, "-m", "presslens", "serve", "--db",
                   f"sqlite:///{Path(tmp) / 'load.db'}", "--host", HOST, "--port", str(port)]
        if args.workers:
            command += ["--workers", str(args.workers)]
        server = subprocess.Popen(command, cwd=tmp, start_new_session=True,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            return run(args, port, Path(tmp))
        finally:
            server.terminate()
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)  # the server and its workers
                server.wait(5)


def run(args: argparse.Namespace, port: int, tmp: Path) -> int:
    probe = Browser(port, timeout=5)
    for _ in range(300):
        try:
            probe.request("GET", "/")
            break
        except OSError:
            time.sleep(0.1)
    else:
        print("load test: the server did not start", file=sys.stderr)
        return 1

    print("load test: posting a small article (the form's worker loads the model) ...",
          file=sys.stderr)
    small = Browser(port, timeout=30)
    location = small.submit("small.txt", EXAMPLES[0].read_bytes())
    deadline = time.monotonic() + 300
    while (job := small.job(location))["status"] in ("queued", "running"):
        if time.monotonic() > deadline:
            print("load test: the small article took over 300 s", file=sys.stderr)
            return 1
        time.sleep(0.5)
    if job["status"] != "done":
        print(f"load test: the small article was not analysed: {job}", file=sys.stderr)
        return 1
    pages = ["/", "/sources", "/api/articles", str(job["article_url"])]

    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def browse(n: int) -> None:
        client = Browser(port, timeout=30)
        i = n
        while not stop.is_set():
            path = pages[i % len(pages)]
            i += 1
            started = time.perf_counter()
            try:
                status, _, _ = client.request("GET", path)
                problem = None if status == 200 else f"{path}: {status}"
            except (OSError, http.client.HTTPException) as exc:
                problem = f"{path}: {exc}"
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if problem:
                    failures.append(problem)
                if len(latencies) >= args.max_requests:
                    stop.set()

    data = tmp / "articles"
    data.mkdir()
    big = []
    for source in EXAMPLES[:args.articles]:
        path = data / f"big_{source.stem}.txt"
        path.write_bytes(big_article(source, args.size))
        big.append(path)

    threads = [threading.Thread(target=browse, args=(n,), daemon=True)
               for n in range(args.clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    poster = Browser(port, timeout=30)
    submitted: list[tuple[str, float, str]] = []
    for path in big:
        start = time.perf_counter()
        location = poster.submit(path.name, path.read_bytes())
        submitted.append((path.name, time.perf_counter() - start, location))
    stop.wait(args.seconds)
    stop.set()
    for thread in threads:
        thread.join(35)
    elapsed = time.perf_counter() - began

    n = len(latencies)
    ms = [x * 1000 for x in latencies]
    print(f"{args.clients} browsing clients for {elapsed:.1f} s while {len(big)} articles "
          f"of ~{args.size // 1000} KB were analysed (loopback, port {port}):")
    print(f"  requests: {n} ({n / elapsed:.1f}/s), failures: {len(failures)}")
    if ms:
        print(f"  latency: p50 {statistics.median(ms):.0f} ms, p95 {percentile(ms, 0.95):.0f} ms"
              f", max {max(ms):.0f} ms (target: p95 under 500 ms: "
              f"{'met' if percentile(ms, 0.95) < 500 else 'NOT met'})")
    for problem in sorted(set(failures))[:5]:
        print(f"  failure: {problem}")
    for name, took, location in submitted:
        job = poster.job(location)
        where = (f"number {job['position']} in the queue" if job["status"] == "queued" else
                 str(job["status"]) + (f": {job['error']}" if job.get("error") else ""))
        print(f"  {name}: posted in {took * 1000:.0f} ms; now {where}")
    return 0 if ms and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
