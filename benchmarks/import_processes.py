"""One ``retweetring import`` into a new database, with each process's CPU, writes and memory.

    python benchmarks/import_processes.py --db /tmp/bench.db --file retweets.jsonl
    PYTHONPATH=/path/to/other/checkout python benchmarks/import_processes.py ...  # A/B

Samples ``/proc`` every 50 ms while the import runs: the importing process's and its reading
child's CPU seconds (user + system), the importing process's bytes written (``write_bytes``)
and each one's peak memory (``VmHWM``); the last sample before a process ends counts. Prints
one line. Interleave the two sides of an A/B comparison: this machine's speed drifts.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

MB = 1024 * 1024


def _children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="database file (replaced)")
    parser.add_argument("--file", required=True, help="twarc2 JSONL file to import")
    parser.add_argument("--label", default="import", help="what the line starts with")
    args = parser.parse_args()
    for suffix in ("", "-wal", "-shm"):
        Path(args.db + suffix).unlink(missing_ok=True)
    command = Path(sys.executable).parent / "retweetring"
    tick = os.sysconf("SC_CLK_TCK")
    cpu: dict[int, float] = {}
    written: dict[int, int] = {}
    peak: dict[int, int] = {}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(command), "--db", args.db, "import", args.file],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while proc.poll() is None:
        for pid in [proc.pid, *_children(proc.pid)]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                cpu[pid] = (int(fields[11]) + int(fields[12])) / tick
                lines = Path(f"/proc/{pid}/io").read_text().splitlines()
                io = dict(line.split(": ") for line in lines)
                written[pid] = int(io["write_bytes"])
                status = Path(f"/proc/{pid}/status").read_text()
                if "VmHWM:" in status:  # absent once the process is a zombie
                    peak[pid] = int(status.split("VmHWM:")[1].split()[0]) // 1024
            except OSError:
                pass
        time.sleep(0.05)
    wall = time.perf_counter() - started
    main_cpu = cpu.get(proc.pid, 0.0)
    child_cpu = sum(v for pid, v in cpu.items() if pid != proc.pid)
    child_peak = sum(v for pid, v in peak.items() if pid != proc.pid)
    print(
        f"{args.label}: exit {proc.returncode}, wall {wall:.2f} s, CPU {main_cpu:.2f} s "
        f"(importing process) + {child_cpu:.2f} s (child), importing process wrote "
        f"{written.get(proc.pid, 0) / MB:.0f} MB, peak {peak.get(proc.pid, 0)} + {child_peak} "
        f"MB, database {os.path.getsize(args.db) / MB:.0f} MB"
    )


if __name__ == "__main__":
    main()
