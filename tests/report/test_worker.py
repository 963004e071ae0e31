"""The report worker process: it lays out the annexes, and it does not outlive the process that started it."""

import os
import signal
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.pdf  # the worker process that lays out a PDF report's annexes

STARTER = """
import os, sys
from tipkb.report import render
if __name__ == "__main__":
    pool = render._worker_pool()
    print(pool.submit(os.getpid).result(), flush=True)
    sys.stdin.read()  # wait to be killed
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:  # a zombie waiting to be reaped counts as gone
        return f.read().split()[2] != "Z"


def test_worker_leaves_when_its_server_is_killed(tmp_path):
    script = tmp_path / "server.py"
    script.write_text(STARTER)
    with subprocess.Popen([sys.executable, str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          text=True) as server:
        try:
            worker = int(server.stdout.readline())
            assert worker != server.pid and _alive(worker)
            server.send_signal(signal.SIGKILL)  # no clean-up code runs in the server
            server.wait(timeout=10)
            deadline = time.monotonic() + 10
            while _alive(worker) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert not _alive(worker)
        finally:
            server.kill()
