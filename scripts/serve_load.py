#!/usr/bin/env python3
"""Load driver for the branch server (`teller serve`), with real OpenSSH clients.

Served mode (the default): registers a fresh device key, starts `teller serve` on 127.0.0.1 and
a free port, opens N `ssh -tt` clients, each on a pty of its own (100x30), logs each one in to
the full-screen app, and then has every session type into the staff "Find a customer" search
field, one key at a time with a human's pause between keys (type a name, then erase it with
Backspace). For each key it measures the time from writing the key to reading the output in
which the search field shows its effect (a small terminal emulator keeps each session's
screen). Meanwhile W "single-transfer workers" loop `teller transfer A B 0.01 --json`, each
through `ssh` (one SSH connection and one command on the server a transfer) or, with
`--worker-kind local`, directly against the database. Memory: the server's VmRSS and threads
with no session, with the N sessions logged in and idle, and at the end of the load.

Direct mode (`--direct`): the same measurement for the local app (`teller` with DATABASE_URL,
no server) on a pty of its own, N copies (normally 1), with its RSS.

Run it from the repository after `scripts/run.sh` made `.env` (the private database, the demo
bank); see BENCHMARKS.md. It adds to the demo bank: a device `load-<time>-<pid>` a run (revoked
when the run ends; names are never reused) and a teller `load-worker-N@bank.local` a worker (a
person's commands at the same moment count as failed logins until their passwords are checked,
so each worker is a person of its own, and the sessions log in one after another).
SERVE_LOAD_TRACE=1 keeps each session's last output and keys for the report of a key whose
effect never showed. Python 3 standard library only. Every process it starts listens or
connects on 127.0.0.1 only, and is stopped (by its own pid) when the run ends; every wait is
bounded.
"""

import argparse
import codecs
import fcntl
import json
import os
import random
import re
import selectors
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SSH_OPTIONS = [
    "-o", "StrictHostKeyChecking=no",
    "-o", "UserKnownHostsFile=/dev/null",
    "-o", "IdentitiesOnly=yes",
    "-o", "BatchMode=yes",
    "-o", "LogLevel=ERROR",
    "-o", "ConnectTimeout=20",
]
# Words typed into the search field (demo customers' names: the search finds some of them).
WORDS = ["diana", "dima", "sergey", "alex", "julis", "golovach", "nasty", "dubruch"]


def log(message):
    print(f"==> {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# A small terminal: enough of a VT100 for what crossterm/ratatui send (cursor moves, erases,
# colours ignored), so a test can read a session's screen as text.
# ---------------------------------------------------------------------------------------------

TEXT_RUN = re.compile(r"[^\x00-\x1f\x7f\x1b]+")


def char_width(c):
    if unicodedata.combining(c):
        return 0
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


class Screen:
    def __init__(self, cols, rows):
        self.cols, self.rows = cols, rows
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.pending = ""
        self.grid = [[" "] * cols for _ in range(rows)]
        self.x = self.y = 0

    def text(self):
        return "\n".join("".join(row) for row in self.grid)

    def line(self, y):
        return "".join(self.grid[y])

    def _erase(self, y, x0, x1):
        row = self.grid[y]
        for x in range(max(0, x0), min(self.cols, x1)):
            row[x] = " "

    def _csi(self, params, final):
        private = params.startswith("?") or params.startswith(">") or params.startswith("<")
        if private or final == "m":
            return
        nums = [int(p) if p.isdigit() else 0 for p in params.split(";")] if params else []

        def arg(i, default):
            return nums[i] if len(nums) > i and nums[i] > 0 else default

        if final in "Hf":
            self.y = min(self.rows - 1, arg(0, 1) - 1)
            self.x = min(self.cols - 1, arg(1, 1) - 1)
        elif final == "J":
            mode = nums[0] if nums else 0
            if mode in (2, 3):
                for y in range(self.rows):
                    self._erase(y, 0, self.cols)
            elif mode == 0:
                self._erase(self.y, self.x, self.cols)
                for y in range(self.y + 1, self.rows):
                    self._erase(y, 0, self.cols)
            elif mode == 1:
                for y in range(self.y):
                    self._erase(y, 0, self.cols)
                self._erase(self.y, 0, self.x + 1)
        elif final == "K":
            mode = nums[0] if nums else 0
            if mode == 0:
                self._erase(self.y, self.x, self.cols)
            elif mode == 1:
                self._erase(self.y, 0, self.x + 1)
            else:
                self._erase(self.y, 0, self.cols)
        elif final == "A":
            self.y = max(0, self.y - arg(0, 1))
        elif final == "B":
            self.y = min(self.rows - 1, self.y + arg(0, 1))
        elif final == "C":
            self.x = min(self.cols - 1, self.x + arg(0, 1))
        elif final == "D":
            self.x = max(0, self.x - arg(0, 1))
        elif final == "G":
            self.x = min(self.cols - 1, arg(0, 1) - 1)
        elif final == "d":
            self.y = min(self.rows - 1, arg(0, 1) - 1)
        elif final == "X":
            self._erase(self.y, self.x, self.x + arg(0, 1))

    def feed(self, data):
        s = self.pending + self.decoder.decode(data)
        self.pending = ""
        i, n = 0, len(s)
        while i < n:
            c = s[i]
            if c == "\x1b":
                if i + 1 >= n:
                    self.pending = s[i:]
                    return
                kind = s[i + 1]
                if kind == "[":
                    j = i + 2
                    while j < n and not ("\x40" <= s[j] <= "\x7e"):
                        j += 1
                    if j >= n:
                        self.pending = s[i:]
                        return
                    self._csi(s[i + 2 : j], s[j])
                    i = j + 1
                elif kind == "]":
                    bel = s.find("\x07", i)
                    st = s.find("\x1b\\", i)
                    ends = [e for e in (bel, st) if e >= 0]
                    if not ends:
                        self.pending = s[i:]
                        return
                    end = min(ends)
                    i = end + (1 if end == bel else 2)
                elif kind in "()":
                    if i + 2 >= n:
                        self.pending = s[i:]
                        return
                    i += 3
                else:
                    i += 2
                continue
            if c < " " or c == "\x7f":
                if c == "\r":
                    self.x = 0
                elif c == "\n":
                    self.y = min(self.rows - 1, self.y + 1)
                elif c == "\b":
                    self.x = max(0, self.x - 1)
                i += 1
                continue
            m = TEXT_RUN.match(s, i)
            row = self.grid[self.y]
            for ch in m.group(0):
                w = char_width(ch)
                if w == 0:
                    continue
                if self.x < self.cols:
                    row[self.x] = ch
                    if w == 2 and self.x + 1 < self.cols:
                        row[self.x + 1] = ""
                self.x = min(self.cols, self.x + w)
            i = m.end()


SEARCH_FIELD = re.compile(r"Search\s+\[([^\]]*)\]")


def search_value(screen):
    """What the search field shows, or None when it is not on the screen."""
    for y in range(screen.rows):
        line = screen.line(y)
        if "Search" in line:
            m = SEARCH_FIELD.search(line)
            if m:
                return m.group(1).rstrip()
    return None


# ---------------------------------------------------------------------------------------------
# Processes
# ---------------------------------------------------------------------------------------------


def load_dotenv(path):
    values = {}
    if not os.path.exists(path):
        return values
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip().strip("'\"")
    return values


def proc_status(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            fields[key] = rest.strip()
    return {
        "rss_kb": int(fields["VmRSS"].split()[0]),
        "hwm_kb": int(fields["VmHWM"].split()[0]),
        "threads": int(fields["Threads"]),
    }


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime


def children_cpu_seconds(pid):
    """Reaped children's CPU (the server's commands), from /proc/PID/stat cutime+cstime."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[13]) + int(fields[14])) / ticks


def machine_cpu():
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    total = sum(fields[:8])
    return total - idle, total


def percentile_summary(values):
    if not values:
        return {"count": 0}
    ordered = sorted(values)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else [ordered[0]] * 99
    return {
        "count": len(ordered),
        "mean": round(statistics.fmean(ordered), 2),
        "p50": round(cuts[49], 2),
        "p90": round(cuts[89], 2),
        "p99": round(cuts[98], 2),
        "max": round(ordered[-1], 2),
    }


def set_size(fd, cols, rows):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


class Term:
    """A program on a pty of its own (its controlling terminal), read without blocking."""

    def __init__(self, argv, env, cols, rows):
        master, slave = os.openpty()
        set_size(slave, cols, rows)

        def make_controlling():
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.proc = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            preexec_fn=make_controlling,
            close_fds=True,
        )
        os.close(slave)
        os.set_blocking(master, False)
        self.fd = master
        self.screen = Screen(cols, rows)
        self.closed = False
        self.bytes = 0

    def write(self, data):
        view = memoryview(data)
        deadline = time.monotonic() + 5
        while view:
            try:
                n = os.write(self.fd, view)
                view = view[n:]
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.001)

    def read_available(self):
        """Everything readable now, fed to the screen; False when the program is gone."""
        got = False
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return True
            except OSError:
                self.closed = True
                return got
            if not data:
                self.closed = True
                return got
            got = True
            self.bytes += len(data)
            self.screen.feed(data)
            if TRACE:
                self.raw = (getattr(self, "raw", b"") + data)[-8192:]
                self.chunks = (getattr(self, "chunks", []) + [(round(time.perf_counter(), 3), len(data))])[-40:]
                self.total = getattr(self, "total", 0) + len(data)

    def stop(self):
        if self.proc.poll() is None:
            try:
                self.proc.terminate()
                self.proc.wait(timeout=5)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                self.proc.kill()
                self.proc.wait(timeout=5)
        try:
            os.close(self.fd)
        except OSError:
            pass


# ---------------------------------------------------------------------------------------------
# One session: log in, then type into the search field and time each key.
# ---------------------------------------------------------------------------------------------


TIMEOUT_SAMPLES = []
TRACE = bool(os.environ.get("SERVE_LOAD_TRACE"))


class Session:
    def __init__(self, index, term, email, password, rng):
        self.index = index
        self.term = term
        self.email = email
        self.password = password
        self.rng = rng
        self.state = "login"  # login -> home -> idle | typing
        self.opened = time.perf_counter()
        self.logged_in_after = None
        self.expect = None  # (expected search value, time the key was written)
        self.next_key_at = None
        self.word = ""
        self.typed = ""
        self.erasing = False
        self.latencies = []
        self.timeouts = 0
        self.error = None

    def ready_to_log_in(self):
        return self.state == "login" and "Log in to teller" in self.term.screen.text()

    def log_in(self):
        self.term.write(self.email.encode() + b"\t" + self.password.encode() + b"\r")
        self.state = "home"

    def on_output(self, now, measuring):
        screen = self.term.screen
        if self.state == "home":
            text = screen.text()
            if "F2 Find" in text and search_value(screen) == "":
                self.logged_in_after = now - self.opened
                self.state = "idle"
            elif "incorrect" in text:
                self.error = "the login was refused"
        elif self.state == "typing" and self.expect is not None:
            expected, written = self.expect
            if search_value(screen) == expected:
                if measuring:
                    self.latencies.append((now - written) * 1000)
                self.expect = None
                self.next_key_at = now + self.rng.uniform(0.1, 0.4)

    def start_typing(self, now):
        self.state = "typing"
        self.next_key_at = now + self.rng.uniform(0, 0.4)

    def due(self, now):
        return self.state == "typing" and self.expect is None and self.next_key_at is not None and now >= self.next_key_at

    def press(self, now):
        """The next key: a letter of the word, or a Backspace once it is complete."""
        if not self.erasing and not self.word:
            self.word = self.rng.choice(WORDS)
        if not self.erasing and len(self.typed) < len(self.word):
            key = self.word[len(self.typed)]
            self.typed += key
            data = key.encode()
        else:
            self.erasing = True
            self.typed = self.typed[:-1]
            data = b"\x7f"
            if not self.typed:
                self.erasing = False
                self.word = ""
        self.term.write(data)
        self.expect = (self.typed, time.perf_counter())
        if TRACE:
            self.keys = (getattr(self, "keys", []) + [(round(time.perf_counter(), 3), data, self.typed)])[-12:]

    def check_timeout(self, now, limit):
        if self.expect is not None and now - self.expect[1] > limit:
            self.timeouts += 1
            # Start over from what the screen shows.
            shown = search_value(self.term.screen)
            if len(TIMEOUT_SAMPLES) < 5:
                TIMEOUT_SAMPLES.append({"session": self.index, "expected": self.expect[0], "shown": shown,
                                        "screen": self.term.screen.text() if len(TIMEOUT_SAMPLES) < 2 else None,
                                        "raw": repr(getattr(self.term, "raw", b"")[-3000:]) if TRACE else None,
                                        "keys": repr(getattr(self, "keys", [])) if TRACE else None,
                                        "chunks": repr(getattr(self.term, "chunks", [])) if TRACE else None,
                                        "opened": round(self.opened, 3),
                                        "total_bytes": getattr(self.term, "total", None),
                                        "at": round(now, 3)})
            self.typed = shown or ""
            self.erasing = bool(self.typed)
            self.expect = None
            self.next_key_at = now + 0.2


def pump(sessions, selector, until, measuring, on_tick=None, key_timeout=5.0):
    """Reads every session's output and presses due keys until `until()` is true."""
    while not until():
        now = time.perf_counter()
        wait = 0.02
        # One login at a time: the bank counts a login as failed until its password is checked,
        # and five at once for one person lock that person out (see BENCHMARKS.md).
        if not any(s.state == "home" and not s.error for s in sessions):
            waiting = next((s for s in sessions if s.ready_to_log_in()), None)
            if waiting:
                waiting.log_in()
        for s in sessions:
            if s.due(now):
                s.press(now)
            elif s.state == "typing" and s.expect is None and s.next_key_at is not None:
                wait = min(wait, max(0.0, s.next_key_at - now))
        for key, _ in selector.select(timeout=wait):
            session = key.data
            alive = session.term.read_available()
            now = time.perf_counter()  # when the bytes were in hand
            session.on_output(now, measuring)
            if not alive:
                selector.unregister(session.term.fd)
                session.error = session.error or "the connection closed"
        now = time.perf_counter()
        for s in sessions:
            s.check_timeout(now, key_timeout)
        if on_tick:
            on_tick()


# ---------------------------------------------------------------------------------------------
# Transfer workers
# ---------------------------------------------------------------------------------------------


class Workers:
    def __init__(self, count, make_command, envs, pairs):
        self.count = count
        self.make_command = make_command
        self.envs = envs
        self.pairs = pairs
        self.stop_flag = threading.Event()
        self.ok = 0
        self.failed = 0
        self.failures = []
        self.durations = []
        self.lock = threading.Lock()
        self.threads = []
        self.started = self.stopped = None

    def _run(self, index):
        a, b = self.pairs[index % len(self.pairs)]
        env = self.envs[index]
        n = 0
        while not self.stop_flag.is_set():
            frm, to = (a, b) if n % 2 == 0 else (b, a)
            n += 1
            began = time.perf_counter()
            try:
                out = subprocess.run(
                    self.make_command(frm, to), env=env, capture_output=True, timeout=120
                )
                ok = out.returncode == 0
                why = out.stderr.decode(errors="replace").strip()[-300:]
            except subprocess.TimeoutExpired:
                ok, why = False, "timed out"
            took = (time.perf_counter() - began) * 1000
            with self.lock:
                if ok:
                    self.ok += 1
                    self.durations.append(took)
                else:
                    self.failed += 1
                    if len(self.failures) < 5:
                        self.failures.append(why)

    def start(self):
        self.started = time.perf_counter()
        for i in range(self.count):
            t = threading.Thread(target=self._run, args=(i,), daemon=True)
            t.start()
            self.threads.append(t)

    def stop(self):
        self.stop_flag.set()
        for t in self.threads:
            t.join(timeout=150)
        self.stopped = time.perf_counter()

    def report(self):
        seconds = (self.stopped or time.perf_counter()) - (self.started or time.perf_counter())
        return {
            "workers": self.count,
            "ok": self.ok,
            "failed": self.failed,
            "per_second": round(self.ok / seconds, 2) if seconds > 0 else 0,
            "transfer_ms": percentile_summary(self.durations),
            "failures": self.failures,
        }


# ---------------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------------


# A new teller's first password was set by someone else and must be changed by its owner.
WORKER_FIRST_PASSWORD = "load-worker-pass-2026"
WORKER_PASSWORD = "load-worker-ready-2026"


def worker_email(index):
    return f"load-worker-{index}@bank.local"


def ensure_workers(binary, env, count):
    """A teller of its own for each worker: commands by one person at the same moment count
    as failed logins until checked, and five of them lock the login."""
    for i in range(count):
        email = worker_email(i)
        as_worker = dict(env, TELLER_USER=email, TELLER_PASSWORD=WORKER_PASSWORD)
        if subprocess.run([binary, "whoami"], env=as_worker, capture_output=True, timeout=60).returncode == 0:
            continue
        shown = subprocess.run([binary, "user", "show", email, "--json"], env=env, capture_output=True, timeout=60)
        if shown.returncode != 0:
            out = subprocess.run(
                [binary, "user", "create", "--email", email, "--name", "Load", "--surname", "Worker",
                 "--age", "30", "--country", "USA", "--role", "teller", "--json"],
                env=env, input=(WORKER_FIRST_PASSWORD + "\n").encode(), capture_output=True, timeout=60,
            )
            if out.returncode != 0:
                raise SystemExit(f"user create {email}: {out.stderr.decode(errors='replace')}")
        first = dict(env, TELLER_USER=email, TELLER_PASSWORD=WORKER_FIRST_PASSWORD)
        out = subprocess.run(
            [binary, "user", "password", email], env=first,
            input=(WORKER_PASSWORD + "\n").encode(), capture_output=True, timeout=60,
        )
        if out.returncode != 0:
            raise SystemExit(f"user password {email}: {out.stderr.decode(errors='replace')}")
        log(f"the worker teller {email} is ready")


def find_accounts(binary, env):
    """Demo customers' USD accounts with money (for the workers), as the admin sees them."""
    found = []
    for query in ("an", "er", "ia", "ma", "ol"):
        out = subprocess.run([binary, "search", query, "--json"], env=env, capture_output=True, timeout=60)
        if out.returncode != 0:
            raise SystemExit(f"teller search failed: {out.stderr.decode(errors='replace')}")
        for hit in json.loads(out.stdout):
            for account in hit["accounts"]:
                if account not in found:
                    found.append(account)
    usable = []
    for account in found:
        out = subprocess.run([binary, "balance", account, "--json"], env=env, capture_output=True, timeout=60)
        if out.returncode == 0:
            info = json.loads(out.stdout)
            if info["currency"] == "USD" and info["status"] == "open" and float(info["balance"]) >= 100:
                usable.append(account)
    return usable


def wait_for(what, done, limit):
    deadline = time.monotonic() + limit
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--worker-kind", choices=["ssh", "local"], default="ssh")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--idle-seconds", type=float, default=10, help="sessions sit still this long before the idle RSS is read")
    parser.add_argument("--direct", action="store_true", help="the local app instead of the server")
    parser.add_argument("--binary", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "teller"))
    parser.add_argument("--user", default="teller@bank.local", help="who the sessions log in as")
    parser.add_argument("--password-env", default="TELLER_LOAD_PASSWORD", help="variable holding the sessions' password (default: the demo teller's)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json-out", help="also write the report here")
    args = parser.parse_args()
    if not 1 <= args.sessions <= 200 or not 0 <= args.workers <= 32 or not 1 <= args.seconds <= 600:
        raise SystemExit("--sessions 1..200, --workers 0..32, --seconds 1..600")

    dotenv = load_dotenv(os.path.join(ROOT, ".env"))
    database_url = os.environ.get("DATABASE_URL") or dotenv.get("DATABASE_URL")
    if not database_url:
        raise SystemExit("no DATABASE_URL (run scripts/run.sh once: it writes .env)")
    if not os.access(args.binary, os.X_OK):
        raise SystemExit(f"{args.binary} not found: cargo build --release")
    password = os.environ.get(args.password_env, "teller-demo-2026")
    admin_env = dict(
        os.environ,
        DATABASE_URL=database_url,
        TELLER_USER="admin@bank.local",
        TELLER_PASSWORD=os.environ.get("TELLER_DEMO_PASSWORD", "admin-demo-2026!"),
    )
    admin_env.pop("TELLER_OWNER_URL", None)
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="teller-load-")
    cols, rows = 100, 30
    report = {
        "mode": "direct" if args.direct else "served",
        "sessions": args.sessions,
        "workers": args.workers,
        "worker_kind": args.worker_kind if args.workers else None,
        "seconds": args.seconds,
        "terminal": f"{cols}x{rows}",
        "cpus": os.cpu_count(),
    }
    server = None
    terms = []
    workers = None
    try:
        accounts = find_accounts(args.binary, admin_env) if args.workers else []
        ensure_workers(args.binary, admin_env, args.workers)
        # An earlier run's parallel logins may have left the sessions' login locked.
        subprocess.run([args.binary, "user", "unlock", args.user], env=admin_env, capture_output=True, timeout=60)
        if args.workers and len(accounts) < 2:
            raise SystemExit("the demo bank has too few accounts with money")
        # Each worker its own pair where there are enough accounts (no hot rows between them).
        pairs = [(accounts[(2 * i) % len(accounts)], accounts[(2 * i + 1) % len(accounts)]) for i in range(args.workers)]

        key = os.path.join(work, "device")
        port = None
        device = None
        if not args.direct or (args.workers and args.worker_kind == "ssh"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "load", "-f", key], check=True)
            name = f"load-{int(time.time())}-{os.getpid()}"
            out = subprocess.run([args.binary, "device", "add", name, "--key", key + ".pub", "--json"], env=admin_env, capture_output=True, timeout=60)
            if out.returncode != 0:
                raise SystemExit(f"device add: {out.stderr.decode(errors='replace')}")
            device = name
            log(f"registered device {name}")
            serve_env = dict(os.environ, DATABASE_URL=database_url)
            for var in ("TELLER_USER", "TELLER_PASSWORD", "TELLER_OWNER_URL"):
                serve_env.pop(var, None)
            server = subprocess.Popen(
                [args.binary, "serve", "--listen", "127.0.0.1:0", "--host-key", os.path.join(work, "host_key")],
                env=serve_env,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            first = server.stdout.readline()
            m = re.search(r"127\.0\.0\.1:(\d+);", first)
            if not m:
                raise SystemExit(f"teller serve said {first!r}")
            port = m.group(1)
            threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
            ssh_base = ["ssh", "-p", port, "-i", key] + SSH_OPTIONS
            wait_for(
                "the server to let the key in",
                lambda: subprocess.run(ssh_base + ["till@127.0.0.1", "teller", "--version"], capture_output=True, timeout=30).returncode == 0,
                30,
            )
            time.sleep(1)
            report["server_empty"] = proc_status(server.pid)
            log(f"teller serve pid {server.pid} on 127.0.0.1:{port}: {report['server_empty']}")

        # The sessions.
        term_env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8")
        for var in ("TELLER_USER", "TELLER_PASSWORD", "TELLER_OWNER_URL", "DATABASE_URL"):
            term_env.pop(var, None)
        if args.direct:
            term_env["DATABASE_URL"] = database_url
            argv = [args.binary]
        else:
            argv = ["ssh", "-tt", "-e", "none", "-p", port, "-i", key] + SSH_OPTIONS + ["till@127.0.0.1"]
        selector = selectors.DefaultSelector()
        sessions = []
        started = time.perf_counter()
        for i in range(args.sessions):
            term = Term(argv, term_env, cols, rows)
            terms.append(term)
            session = Session(i, term, args.user, password, random.Random(rng.random()))
            sessions.append(session)
            selector.register(term.fd, selectors.EVENT_READ, session)
            # A few at a time: the logins' bcrypt is the slow part.
            if i % 5 == 4:
                settle = time.perf_counter() + 0.1
                pump(sessions, selector, lambda: time.perf_counter() > settle, False)
        deadline = time.perf_counter() + 180
        pump(
            sessions,
            selector,
            lambda: all(s.state == "idle" or s.error for s in sessions) or time.perf_counter() > deadline,
            False,
        )
        failed = [s for s in sessions if s.state != "idle"]
        if failed:
            s = failed[0]
            raise SystemExit(f"{len(failed)} sessions did not log in (first: {s.error or s.state}):\n{s.term.screen.text()}")
        report["login_s"] = percentile_summary([s.logged_in_after for s in sessions])
        report["all_logged_in_after_s"] = round(time.perf_counter() - started, 2)
        log(f"{args.sessions} sessions logged in after {report['all_logged_in_after_s']} s")

        # Idle: nobody types; the memory of N idle sessions.
        idle_from = time.perf_counter()
        idle_until = idle_from + args.idle_seconds
        quiet_before = machine_cpu()
        idle_cpu_before = cpu_seconds(server.pid) if server and not args.direct else None
        bytes_before = sum(t.bytes for t in terms)
        pump(sessions, selector, lambda: time.perf_counter() > idle_until, False)
        idle_took = time.perf_counter() - idle_from
        # What sessions that sit still cost: the server's CPU and the bytes each receives.
        report["idle_bytes_per_session_per_s"] = round((sum(t.bytes for t in terms) - bytes_before) / len(terms) / idle_took, 1)
        if idle_cpu_before is not None:
            report["server_idle_cpu_percent"] = round(100 * (cpu_seconds(server.pid) - idle_cpu_before) / idle_took, 1)
        busy, total = (a - b for a, b in zip(machine_cpu(), quiet_before))
        # Anything else running on the machine shows here (the idle sessions cost next to nothing).
        report["machine_busy_idle_percent"] = round(100 * busy / total, 1) if total else None
        log(f"machine busy while the sessions sat idle: {report['machine_busy_idle_percent']} %")
        if args.direct:
            report["direct_app_idle"] = [proc_status(t.proc.pid) for t in terms]
        else:
            report["server_idle"] = proc_status(server.pid)
            grown = report["server_idle"]["rss_kb"] - report["server_empty"]["rss_kb"]
            report["rss_per_idle_session_kb"] = round(grown / args.sessions, 1)
            report["threads_per_idle_session"] = round(
                (report["server_idle"]["threads"] - report["server_empty"]["threads"]) / args.sessions, 2
            )
            log(f"idle: {report['server_idle']}, {report['rss_per_idle_session_kb']} kB a session")

        # Load: every session types; the workers transfer.
        if args.workers:
            if args.worker_kind == "ssh":
                # Who each command acts as goes in SSH environment requests (never on a command
                # line); every command checks that worker's password (bcrypt) on the server.
                envs = [dict(os.environ, TELLER_USER=worker_email(i), TELLER_PASSWORD=WORKER_PASSWORD) for i in range(args.workers)]
                base = ["ssh", "-p", port, "-i", key] + SSH_OPTIONS + ["-o", "SendEnv=TELLER_USER", "-o", "SendEnv=TELLER_PASSWORD", "till@127.0.0.1"]
                make = lambda a, b: base + ["teller", "transfer", a, b, "0.01", "--json"]  # noqa: E731
            else:
                # Each worker logs in once (`teller login`, a session file of its own); its
                # transfers then run on that session, without a password check each.
                envs = []
                for i in range(args.workers):
                    env = dict(os.environ, DATABASE_URL=database_url, TELLER_SESSION_FILE=os.path.join(work, f"session-{i}"))
                    for var in ("TELLER_OWNER_URL", "TELLER_USER", "TELLER_PASSWORD"):
                        env.pop(var, None)
                    login = dict(env, TELLER_USER=worker_email(i), TELLER_PASSWORD=WORKER_PASSWORD)
                    out = subprocess.run([args.binary, "login"], env=login, capture_output=True, timeout=60)
                    if out.returncode != 0:
                        raise SystemExit(f"teller login {worker_email(i)}: {out.stderr.decode(errors='replace')}")
                    envs.append(env)
                make = lambda a, b: [args.binary, "transfer", a, b, "0.01", "--json"]  # noqa: E731
            workers = Workers(args.workers, make, envs, pairs)
        cpu_before = cpu_seconds(server.pid) if server else None
        children_before = children_cpu_seconds(server.pid) if server else None
        machine_before = machine_cpu()
        driver_before = sum(os.times()[:2])
        if workers:
            workers.start()
        for s in sessions:
            s.start_typing(time.perf_counter())
        # A few seconds of typing before the clock starts (first searches, caches).
        warm_until = time.perf_counter() + 3
        pump(sessions, selector, lambda: time.perf_counter() > warm_until, False)
        load_started = time.perf_counter()
        load_until = load_started + args.seconds
        peak = {"rss_kb": 0}

        def sample():
            if server and time.perf_counter() - sample.last > 1:
                sample.last = time.perf_counter()
                status = proc_status(server.pid)
                if status["rss_kb"] > peak["rss_kb"]:
                    peak.update(status)

        sample.last = 0
        pump(sessions, selector, lambda: time.perf_counter() > load_until, True, on_tick=sample)
        elapsed = time.perf_counter() - load_started
        busy, total = (a - b for a, b in zip(machine_cpu(), machine_before))
        report["machine_busy_percent"] = round(100 * busy / total, 1) if total else None
        report["driver_cpu_s"] = round(sum(os.times()[:2]) - driver_before, 2)
        if workers:
            workers.stop()
            report["transfers"] = workers.report()
        latencies = [v for s in sessions for v in s.latencies]
        report["key_to_frame_ms"] = percentile_summary(latencies)
        report["keys_per_second"] = round(len(latencies) / elapsed, 1)
        report["key_timeouts"] = sum(s.timeouts for s in sessions)
        if TIMEOUT_SAMPLES:
            report["key_timeout_samples"] = TIMEOUT_SAMPLES
        report["sessions_lost"] = sum(1 for s in sessions if s.error)
        if server:
            report["server_loaded"] = proc_status(server.pid)
            report["server_loaded_peak"] = peak
            report["server_cpu_s"] = round(cpu_seconds(server.pid) - cpu_before, 2)
            report["server_commands_cpu_s"] = round(children_cpu_seconds(server.pid) - children_before, 2)
        else:
            report["direct_app_loaded"] = [proc_status(t.proc.pid) for t in terms]
        report["load_seconds"] = round(elapsed, 1)
    finally:
        if workers and not workers.stop_flag.is_set():
            workers.stop()
        if workers and args.worker_kind == "local":
            for env in workers.envs:
                subprocess.run([args.binary, "logout"], env=env, capture_output=True, timeout=60)
        for term in terms:
            term.stop()
        if server and server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)
        if device:
            subprocess.run([args.binary, "device", "revoke", device], env=admin_env, capture_output=True, timeout=60)
        subprocess.run(["rm", "-rf", work], check=False)
    text = json.dumps(report, indent=2)
    print(text)
    if args.json_out:
        with open(args.json_out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
