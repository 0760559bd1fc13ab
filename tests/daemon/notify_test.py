#!/usr/bin/env python3
"""The daemon under systemd, with this test standing in for systemd: it binds
the notify socket (a unix datagram socket), starts `renderq daemon
--foreground` with NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID pointing at
it, and JOURNAL_STREAM naming the file that is the daemon's stderr. Asserts
READY=1 once the worker is up, STATUS= with the queue depth as it changes,
WATCHDOG=1 within every interval, STOPPING=1 after SIGTERM, and journald
priority prefixes on every log line. Needs RENDERQ and SAMPLES."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

RENDERQ = os.environ["RENDERQ"]
BOX = os.path.join(os.environ["SAMPLES"], "Box/glTF-Binary/Box.glb")
WATCHDOG_S = 2.0

work = tempfile.mkdtemp(prefix="renderq-notify-test.")
daemon = None
received = []  # (seconds since start, message)
t_start = time.monotonic()


def fail(why):
    print("FAIL: " + why, file=sys.stderr)
    for t, m in received:
        print("  %6.3f %r" % (t, m), file=sys.stderr)
    log = os.path.join(work, "daemon.log")
    if os.path.exists(log):
        print("--- daemon.log (tail)", file=sys.stderr)
        with open(log, errors="replace") as f:
            sys.stderr.write("".join(f.readlines()[-30:]))
    sys.exit(1)


def receive(sock, until):
    """Collects datagrams until `until` (monotonic seconds)."""
    while True:
        left = until - time.monotonic()
        if left <= 0:
            return
        sock.settimeout(left)
        try:
            data = sock.recv(4096)
        except socket.timeout:
            return
        received.append((time.monotonic() - t_start, data.decode()))


def wait_for(sock, pred, limit, what):
    end = time.monotonic() + limit
    while not pred():
        if time.monotonic() >= end:
            fail("timed out waiting for " + what)
        receive(sock, min(end, time.monotonic() + 0.05))


def messages(prefix):
    return [(t, m) for t, m in received if any(line.startswith(prefix) for line in m.split("\n"))]


def statuses():
    return [line[len("STATUS="):] for _, m in received for line in m.split("\n") if line.startswith("STATUS=")]


def rq(env, *args):
    return subprocess.run([RENDERQ, *args], env=env, check=True, capture_output=True, text=True).stdout.strip()


def state(env, job):
    return json.loads(rq(env, "status", job, "--json"))["state"]


try:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RENDERQ_TEST_")}
    env.update(RENDERQ_SPOOL=os.path.join(work, "spool"), LP_NUM_THREADS=env.get("LP_NUM_THREADS", "1"))
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(os.path.join(work, "notify"))
    log = open(os.path.join(work, "daemon.log"), "wb")
    st = os.fstat(log.fileno())
    denv = dict(env, NOTIFY_SOCKET=os.path.join(work, "notify"), WATCHDOG_USEC=str(int(WATCHDOG_S * 1e6)),
                JOURNAL_STREAM="%d:%d" % (st.st_dev, st.st_ino))
    # WATCHDOG_PID must be the daemon's own pid: the shell's, kept by exec.
    daemon = subprocess.Popen(["sh", "-c", 'export WATCHDOG_PID=$$; exec "$0" daemon --foreground', RENDERQ],
                              env=denv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log)

    # 1. READY=1 once the worker is up, with the depth of an empty queue.
    wait_for(sock, lambda: messages("READY=1"), 60, "READY=1")
    t_ready, ready = messages("READY=1")[0]
    if "STATUS=0 queued, 0 running" not in ready.split("\n"):
        fail("READY=1 without the queue depth: %r" % ready)
    with open(os.path.join(work, "daemon.log"), errors="replace") as f:
        if "ready on" not in f.read():
            fail("READY=1 sent before the worker said it was ready")

    # 2. STATUS= follows the depth: two jobs submitted while paused are
    # "2 queued"; once they rendered, "0 queued, 0 running" again.
    rq(env, "pause")
    jobs = [rq(env, "submit", BOX, "-o", os.path.join(work, "out%d.png" % i), "--size", "64x64", "--samples", "1")
            for i in range(2)]
    wait_for(sock, lambda: "2 queued, 0 running" in statuses(), 10, "STATUS=2 queued, 0 running")
    rq(env, "resume")
    for job in jobs:
        end = time.monotonic() + 60
        while state(env, job) != "succeeded":
            if time.monotonic() > end:
                fail("job %s did not succeed" % job)
            receive(sock, time.monotonic() + 0.05)
    # ("2 queued" came first, so a last "0 queued" was sent after it.)
    wait_for(sock, lambda: statuses()[-1] == "0 queued, 0 running", 5, "STATUS=0 queued, 0 running after the jobs")

    # A worker killed while idle is logged as a warning; the supervisor lives on.
    with open("/proc/%d/task/%d/children" % (daemon.pid, daemon.pid)) as f:
        workers = f.read().split()
    if not workers:
        fail("no worker process")
    os.kill(int(workers[0]), signal.SIGKILL)

    # 3. WATCHDOG=1 at half the interval, never a gap systemd would kill for
    # (all pings since READY). Only while this test just listens are the
    # receive times exact enough to check that pings are not sent more often.
    before = len(messages("WATCHDOG=1"))
    wait_for(sock, lambda: len(messages("WATCHDOG=1")) >= before + 3, 4 * WATCHDOG_S, "three more WATCHDOG=1 pings")
    times = [t_ready] + [t for t, _ in messages("WATCHDOG=1") if t > t_ready]  # READY=1 counts as a ping
    gaps = [b - a for a, b in zip(times, times[1:])]
    if max(gaps) >= WATCHDOG_S:
        fail("a watchdog gap of %.3f s (interval %.1f s)" % (max(gaps), WATCHDOG_S))
    quiet = gaps[-2:]  # between the pings of the quiet wait above
    if min(quiet) < WATCHDOG_S / 2 - 0.05:
        fail("pings more often than half the interval: %.3f s" % min(quiet))
    if messages("STOPPING=1"):
        fail("STOPPING=1 before any signal")

    # 4. SIGTERM: STOPPING=1, then the daemon exits 0.
    daemon.send_signal(signal.SIGTERM)
    wait_for(sock, lambda: messages("STOPPING=1"), 10, "STOPPING=1")
    try:
        rc = daemon.wait(30)
    except subprocess.TimeoutExpired:
        fail("daemon did not exit after SIGTERM")
    if rc != 0:
        fail("daemon exited %d" % rc)
    if len(messages("READY=1")) != 1:
        fail("READY=1 sent %d times" % len(messages("READY=1")))

    # 5. The log is journald's: every line "<N>renderq: ...".
    with open(os.path.join(work, "daemon.log"), errors="replace") as f:
        lines = f.read().splitlines()
    bad = [l for l in lines if not (len(l) > 3 and l[0] == "<" and l[1] in "34567" and l[2:].startswith(">renderq: "))]
    if bad:
        fail("log lines without a journald priority: %r" % bad[:3])
    if not any(l.startswith("<6>renderq: serving spool") for l in lines):
        fail("no <6> line for serving")
    if not any(l.startswith("<4>renderq: worker ") and "killed by signal 9" in l for l in lines):
        fail("the killed worker is not a <4> line")
    print("READY after %.2f s; %d STATUS= (%s); %d WATCHDOG=1, gaps %.2f-%.2f s; STOPPING=1; %d journald lines"
          % (t_ready, len(statuses()), " | ".join(statuses()), len(messages("WATCHDOG=1")), min(gaps), max(gaps),
             len(lines)))
    print("ok")
finally:
    if daemon is not None and daemon.poll() is None:
        daemon.kill()
        daemon.wait()
    if os.environ.get("KEEP_WORK") == "1":
        print("kept " + work, file=sys.stderr)
    else:
        shutil.rmtree(work, ignore_errors=True)
