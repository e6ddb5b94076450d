"""The one-command benchmark of the performance issue: every step against its target.

    python benchmarks/run.py --size 100k --runs 1
    python benchmarks/run.py --size 1m                      # medians of 3
    python benchmarks/run.py --size 1m --steps import,parse --json
    python benchmarks/run.py --size 1m --steps check-equal
    python benchmarks/run.py --size 1m --append-results     # add to benchmarks/RESULTS.md
    python benchmarks/run.py --size 100k --backend both     # SQLite, then PostgreSQL

Generates (once, cached in --workdir) a twarc2 JSONL file of the chosen size with
benchmarks/synthetic.py: 100k retweets among 10k accounts, 1m among 100k, 5m among 500k.
Every timed step is a subprocess (the installed ``retweetring`` CLI, or a baseline) so that
its wall time includes interpreter start, and its peak RSS and bytes written are its own and
its children's (``/proc/PID/io`` read before it is reaped, which includes the children it
reaped; peak RSS the sum of each process's own peak, ``VmHWM``, read every 10 ms, as an
import reads large files in a child process). Each step runs --runs
times; the table shows medians. ``import`` starts from a fresh database each run; the other
steps use the database the last import left. ``--backend postgresql`` (or ``both``) runs the
database steps against a throwaway PostgreSQL server (see databases.py); the baselines and
the bundled example run once.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.util
import json
import os
import platform
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import synthetic  # noqa: E402
from databases import BACKENDS, Database, Unavailable, open_database  # noqa: E402

SIZES = {"100k": (100_000, 10_000), "1m": (1_000_000, 100_000), "5m": (5_000_000, 500_000)}
"""--size: (retweets, accounts)."""
STEPS = (
    "parse",
    "twarc-network",
    "import",
    "reimport",
    "report",
    "mutual",
    "one-sided",
    "introductions",
    "map",
    "export",
    "thank",
    "example",
    "check-equal",
)
"""Every step, in the order they run."""
DEFAULT_STEPS = tuple(s for s in STEPS if s != "check-equal")
MB = 1024 * 1024
PARSE_ONLY = (
    "import sys, orjson\n"
    "with open(sys.argv[1], 'rb') as lines:\n"
    "    for line in lines:\n"
    "        orjson.loads(line)\n"
)


def last_full_week() -> str:
    """The ISO week before synthetic.END (a Monday): the data's last complete week."""
    year, week, _ = (synthetic.END - timedelta(days=1)).isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class Sample:
    """One run of one command."""

    wall: float
    rss_mb: float
    write_bytes: int | None
    wchar: int | None
    returncode: int
    timed_out: bool = False


@dataclass
class Step:
    """A step's runs and what they are compared with."""

    name: str
    command: str
    samples: list[Sample] = field(default_factory=list)
    note: str = ""

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def timed_out(self) -> bool:
        return any(s.timed_out for s in self.samples)

    @property
    def rss_mb(self) -> float:
        return statistics.median(s.rss_mb for s in self.samples)

    @property
    def written(self) -> int | None:
        values = [s.write_bytes for s in self.samples if s.write_bytes is not None]
        return int(statistics.median(values)) if values else None

    def summary(self) -> dict:
        return {
            "step": self.name,
            "command": self.command,
            "runs": len(self.samples),
            "median_wall_s": round(self.wall, 3),
            "median_peak_rss_mb": round(self.rss_mb, 1),
            "median_write_bytes": self.written,
            "samples": [asdict(s) for s in self.samples],
            "note": self.note,
        }


class Failed(Exception):
    """A benchmarked command exited with an error."""


def measure(
    argv: list[str],
    stdout: Path | None = None,
    env: dict | None = None,
    timeout: float | None = None,
) -> Sample:
    """Run ``argv`` to the end; its wall time, peak RSS and bytes written.

    The child is waited for without being reaped (``WNOWAIT``) so that ``/proc/PID/io`` can
    still be read, then reaped with ``wait4`` for its own rusage. After ``timeout`` seconds
    the child is killed and the sample says so.
    """
    timed_out = False
    with (
        open(stdout or os.devnull, "wb") as out,
        tempfile.TemporaryFile() as err,
    ):
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        tree = _TreePeak(proc.pid)
        tree.start()
        if timeout is None:
            os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)
        else:
            while os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT | os.WNOHANG) is None:
                if time.perf_counter() - start > timeout:
                    proc.kill()
                    timed_out = True
                    os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)
                    break
                time.sleep(0.002)
        wall = time.perf_counter() - start
        tree.done.set()
        tree.join()
        io = _proc_io(proc.pid)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0 and not timed_out:
            err.seek(0)
            tail = err.read().decode(errors="replace")[-2000:]
            raise Failed(f"{' '.join(argv)} exited with {proc.returncode}:\n{tail}")
    return Sample(
        wall=wall,
        rss_mb=(tree.peak or usage.ru_maxrss * 1024) / 2**20,  # ru_maxrss: KiB on Linux
        write_bytes=io.get("write_bytes"),
        wchar=io.get("wchar"),
        returncode=proc.returncode,
        timed_out=timed_out,
    )


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants now (Linux; just ``pid`` where /proc cannot say)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        todo.extend(int(child) for child in children)
    return found


def _high_water(pid: int) -> int:
    """The peak resident bytes of process ``pid`` so far (``VmHWM``; 0 where unknown)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


class _TreePeak(threading.Thread):
    """The peak resident memory of a process and its children, each process's own peak
    (``VmHWM``) added up: read every 10 ms while they run, so a peak in a process's last
    10 ms can be missed. ``wait4``'s ``ru_maxrss`` cannot serve: it counts the memory of the
    benchmark's own process, which the child is forked from, before it starts the command."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.done = pid, threading.Event()
        self.peaks: dict[int, int] = {}

    def run(self) -> None:
        while True:
            for pid in _tree(self.pid):
                self.peaks[pid] = max(self.peaks.get(pid, 0), _high_water(pid))
            if self.done.wait(0.01):
                return

    @property
    def peak(self) -> int:
        """The sum of the peaks of every process seen."""
        return sum(self.peaks.values())


def _proc_io(pid: int) -> dict[str, int]:
    try:
        text = Path(f"/proc/{pid}/io").read_text()
    except OSError:
        return {}
    return {key: int(value) for key, value in (line.split(": ") for line in text.splitlines())}


def parse_size(text: str) -> tuple[int, int]:
    """``100k``/``1m``/``5m``, or any ``N[k|m]`` (accounts: a tenth of the retweets)."""
    if text in SIZES:
        return SIZES[text]
    match = re.fullmatch(r"(\d+)([km]?)", text.lower())
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 100k, 1m or 5m")
    retweets = int(match[1]) * {"": 1, "k": 1000, "m": 1_000_000}[match[2]]
    return retweets, max(50, retweets // 10)


def generator_digest() -> str:
    """A digest of synthetic.py: the cached file is remade when the generator changes."""
    return hashlib.sha256((HERE / "synthetic.py").read_bytes()).hexdigest()[:10]


def ensure_data(workdir: Path, retweets: int, accounts: int, seed: int, say) -> Path:
    """The JSONL file of this size and seed, generated unless the cache has it."""
    path = workdir / f"retweets-{retweets}-{accounts}-seed{seed}-{generator_digest()}.jsonl"
    if path.exists():
        say(f"using {path} ({path.stat().st_size / 1e6:,.0f} MB)")
        return path
    for stale in workdir.glob(f"retweets-{retweets}-{accounts}-seed{seed}-*.jsonl"):
        stale.unlink()
    say(f"generating {retweets:,} retweets among {accounts:,} accounts into {path} ...")
    start = time.perf_counter()
    partial = path.with_suffix(".partial")
    synthetic.write_jsonl(partial, retweets, accounts=accounts, seed=seed)
    partial.rename(path)
    say(f"  {path.stat().st_size / 1e6:,.0f} MB in {time.perf_counter() - start:.0f} s")
    return path


def example_file() -> Path:
    from importlib.resources import files

    return Path(str(files("retweetring.examples") / "community.jsonl"))


def busiest_account(db: Database) -> str:
    """The username of the account whose tweets were retweeted most."""
    rows = db.query(
        "SELECT a.username FROM retweets r"
        " JOIN tweets t ON t.platform = r.platform AND t.id = r.original_id"
        " JOIN accounts a ON a.platform = t.platform AND a.id = t.author_id"
        " GROUP BY t.author_id, a.username ORDER BY count(*) DESC, t.author_id LIMIT 1"
    )
    return rows[0][0]


def dataset_stats(db: Database) -> dict:
    """Counts of what the import stored."""

    def one(sql: str) -> int:
        return int(db.query(sql)[0][0])

    return {
        "accounts": one("SELECT count(*) FROM accounts"),
        "tweets": one("SELECT count(*) FROM tweets"),
        "promotional_tweets": one(
            "SELECT count(*) FROM tweets WHERE coalesce(promo_override, is_promotional)"
        ),
        "retweets": one("SELECT count(*) FROM retweets"),
    }


def reference_json(db: Database, what: str) -> str:
    """What ``retweetring mutual/one-sided --format json`` should print, from the reference.

    The support graph from ``retweetring.graph.support_graph`` (whole period, promotional
    retweets, k=1), then ``retweetring.analytics.mutual.mutual_pairs`` or
    ``retweetring.analytics.one_sided.one_sided`` (the networkx reference implementations),
    turned into rows and JSON as retweetring/reports/summary.py and the CLI's ``emit_rows`` do.
    """
    from sqlalchemy import create_engine

    from retweetring.analytics.mutual import mutual_pairs
    from retweetring.analytics.one_sided import one_sided
    from retweetring.graph import support_graph
    from retweetring.records import account_label
    from retweetring.reports.formats import to_json

    engine = create_engine(db.url)
    try:
        with engine.connect() as conn:
            graph = support_graph(conn)
    finally:
        engine.dispose()

    def name(node: object) -> str:
        return graph.nodes[node].get("username") or account_label(node, None)

    if what == "mutual":
        rows = [
            {"a": name(p.a), "b": name(p.b), "a_to_b": p.a_to_b, "b_to_a": p.b_to_a}
            for p in mutual_pairs(graph, 1)
        ]
    else:
        rows = [
            {
                "supporter": name(r.supporter),
                "supported": name(r.supported),
                "count": r.count,
                "returned": r.returned,
            }
            for r in one_sided(graph, 1)
        ]
    return to_json(rows) + "\n"  # click.echo adds the newline


def first_difference(got: str, want: str) -> str:
    """Where two JSON row lists first differ, in a line."""
    got_rows, want_rows = json.loads(got), json.loads(want)
    for i, (g, w) in enumerate(zip(got_rows, want_rows, strict=False)):
        if g != w:
            return f"row {i}: CLI {g} != reference {w}"
    if len(got_rows) != len(want_rows):
        return f"CLI has {len(got_rows)} rows, reference {len(want_rows)}"
    return "same rows, different formatting"


def machine() -> dict:
    """CPU, cores, RAM, Python, SQLite and the date."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=HERE,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        commit, dirty = "", ""
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": ram,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "os": f"{platform.system()} {platform.release()}",
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit + (" (uncommitted changes)" if dirty else ""),
    }


@dataclass
class Target:
    step: str
    what: str
    value: float | None
    limit: str
    passed: bool | None


def targets(steps: dict[str, Step], db_bytes: int | None, equal: dict | None) -> list[Target]:
    """The issue's targets, each with the measured value and whether it is met."""
    out: list[Target] = []

    def wall(name: str) -> float | None:
        return steps[name].wall if name in steps else None

    parse, imp, twarc = wall("parse"), wall("import"), wall("twarc-network")
    if imp is not None:
        ratio = imp / parse if parse else None
        out.append(
            Target("import", "wall / parse-only", ratio, "<= 3x", None if ratio is None
                   else ratio <= 3)
        )  # fmt: skip
        speedup = twarc / imp if twarc else None
        out.append(
            Target("import", "twarc-network / import", speedup, ">= 3x",
                   None if speedup is None else speedup >= 3)
        )  # fmt: skip
        rss = steps["import"].rss_mb
        out.append(Target("import", "peak RSS MB", rss, "< 500", rss < 500))
        written = steps["import"].written
        if written is not None and db_bytes:
            ratio = written / db_bytes
            out.append(Target("import", "bytes written / DB size", ratio, "<= 3x", ratio <= 3))
    if "reimport" in steps:
        ratio = steps["reimport"].wall / parse if parse else None
        out.append(
            Target("reimport", "wall / parse-only", ratio, "< 1x",
                   None if ratio is None else ratio < 1)
        )  # fmt: skip
    if "report" in steps:
        out.append(Target("report", "wall s", wall("report"), "< 15", wall("report") < 15))
        rss = steps["report"].rss_mb
        out.append(Target("report", "peak RSS MB", rss, "< 1536", rss < 1536))
    for name in ("mutual", "one-sided", "introductions", "thank", "export", "map"):
        if name in steps:
            out.append(Target(name, "wall s", wall(name), "< 5", wall(name) < 5))
    if "example" in steps:
        out.append(Target("example", "wall s", wall("example"), "< 0.5", wall("example") < 0.5))
    if equal is not None:
        for what, ok in equal.items():
            out.append(Target("check-equal", f"{what} JSON == reference", None, "equal", ok))
    return out


def render(steps: dict[str, Step], checks: list[Target], size: str, info: dict) -> str:
    """The results as a Markdown table (steps) and a list of targets."""
    lines = [
        f"### {size}: {info['retweets']:,} retweets, {info['accounts']:,} accounts, "
        f"{info['file_mb']:,.0f} MB JSONL"
        + (f", {info['mutual_pairs']:,} mutual pairs" if info.get("mutual_pairs") else ""),
        "",
        "| step | runs | median wall s | peak RSS MB | written MB | ratio | target | result |",
        "|---|---|---|---|---|---|---|---|",
    ]
    by_step: dict[str, list[Target]] = {}
    for check in checks:
        by_step.setdefault(check.step, []).append(check)
    for name, step in steps.items():
        written = f"{step.written / 1e6:,.0f}" if step.written is not None else ""
        rows = by_step.pop(name, []) or [None]
        for i, check in enumerate(rows):
            head = (
                f"| {name} | {len(step.samples)} | {'>' if step.timed_out else ''}{step.wall:.2f}"
                f" | {step.rss_mb:,.0f} | "
                f"{written} "
                if i == 0
                else "| | | | | "
            )
            if check is None:
                lines.append(head + "| | | |")
            else:
                lines.append(head + _target_cells(check))
    for rest in by_step.values():
        for check in rest:
            lines.append(f"| {check.step} | | | | " + _target_cells(check))
    notes = [f"- {step.name}: `{step.command}`" + (f" ({step.note})" if step.note else "")
             for step in steps.values()]  # fmt: skip
    notes += [f"- {note}" for note in info.get("notes", [])]
    return "\n".join(lines + ["", *notes])


def compare_backends(sqlite_steps: dict[str, Step], pg_steps: dict[str, Step]) -> str:
    """The database steps on both backends side by side, as a Markdown table."""
    lines = [
        "### SQLite and PostgreSQL, the same steps in the same run",
        "",
        "| step | SQLite median wall s | PostgreSQL median wall s | PostgreSQL / SQLite |",
        "|---|---|---|---|",
    ]
    for name, step in sqlite_steps.items():
        other = pg_steps.get(name)
        if other is None or other is step:  # a baseline shared by both
            continue
        lines.append(
            f"| {name} | {step.wall:.2f} | {other.wall:.2f} | {other.wall / step.wall:.2f}x |"
        )
    return "\n".join(lines)


def _target_cells(check: Target) -> str:
    value = "" if check.value is None or "x" not in check.limit else f"{check.value:.2f}x"
    result = {True: "pass", False: "**FAIL**", None: "n/a"}[check.passed]
    return f"| {value} | {check.what} {check.limit} | {result} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="steps: " + ", ".join(STEPS) + " (default: all but check-equal)",
    )  # fmt: skip
    parser.add_argument("--size", default="100k", help="100k, 1m, 5m (or N[k|m])")
    parser.add_argument("--runs", type=int, default=3, help="runs per step (median)")
    parser.add_argument("--steps", help="comma-separated subset of the steps")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--workdir", type=Path, help="cache and scratch folder (default benchmarks/.work/SIZE)"
    )
    parser.add_argument(
        "--format",
        dest="fmt",
        choices=("json", "text"),
        default="json",
        help="output format of the analytics commands (default json; text renders tables)",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--append-results",
        nargs="?",
        const=HERE / "RESULTS.md",
        type=Path,
        metavar="FILE",
        help="append the results and the machine to FILE (default benchmarks/RESULTS.md)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        help="stop a run after this many seconds and record the step as at least that slow",
    )
    parser.add_argument("--keep-going", action="store_true", help="record a failing step and go on")
    parser.add_argument(
        "--backend",
        choices=(*BACKENDS, "both"),
        default="sqlite",
        help="the database the commands use: an SQLite file (default), a throwaway PostgreSQL "
        "server (initdb/pg_ctl on the PATH or in /usr/lib/postgresql), or both in turn",
    )
    args = parser.parse_args(argv)
    retweets, accounts = parse_size(args.size)
    chosen = DEFAULT_STEPS if not args.steps else tuple(args.steps.split(","))
    unknown = [s for s in chosen if s not in STEPS]
    if unknown:
        parser.error(f"unknown steps {unknown}; choose from {', '.join(STEPS)}")
    workdir = (args.workdir or HERE / ".work" / args.size).resolve()
    workdir.mkdir(parents=True, exist_ok=True)

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    bindir = Path(sys.executable).parent
    cli = str(bindir / "retweetring") if (bindir / "retweetring").exists() else "retweetring"
    env = dict(os.environ, COLUMNS="120", NO_COLOR="1")
    env.pop("RETWEETRING_DB", None)
    data = ensure_data(workdir, retweets, accounts, args.seed, say)
    info: dict = {
        "size": args.size,
        "retweets": retweets,
        "accounts": accounts,
        "seed": args.seed,
        "file": str(data),
        "file_mb": data.stat().st_size / 1e6,
        "format": args.fmt,
        "notes": [],
    }
    out = workdir / "out"
    out.mkdir(exist_ok=True)
    backends = BACKENDS if args.backend == "both" else (args.backend,)
    tables: list[str] = []
    report: dict = {"info": info, "machine": machine(), "backends": {}}
    baselines: dict[str, Step] = {}
    by_backend: dict[str, dict[str, Step]] = {}
    any_failed = False
    for backend in backends:
        try:
            with open_database(backend, workdir) as database:
                results, checks, equal_failed = bench_backend(
                    args, chosen, database, data, cli, env, out, baselines, info, say
                )
        except Unavailable as exc:  # no server: the other backend's results still count
            info["notes"].append(f"{backend}: skipped: {exc}")
            say(f"{backend}: skipped: {exc}")
            continue
        any_failed |= equal_failed
        by_backend[backend] = results
        tables.append(render(results, checks, f"{args.size}, {backend}", info))
        report["backends"][backend] = {
            "steps": [step.summary() for step in results.values()],
            "targets": [asdict(c) for c in checks],
        }
    if len(by_backend) == 2:
        tables.append(compare_backends(*by_backend.values()))
    table = "\n\n".join(tables)
    description = report["machine"]
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(table)
    if args.append_results:
        head = (
            f"\n## {description['date']}, --size {args.size}, --runs {args.runs}, "
            f"{', '.join(backends)}\n\n"
            f"{description['cpu']}, {description['cores']} cores, {description['ram_gb']} GB "
            f"RAM; Python {description['python']}, SQLite {description['sqlite']}, "
            f"{description['os']}; retweetring at {description['commit']}\n\n"
        )
        if "dataset" in info:
            d = info["dataset"]
            head += (
                f"Stored: {d['accounts']:,} accounts, {d['tweets']:,} tweets "
                f"({d['promotional_tweets']:,} promotional), {d['retweets']:,} retweets"
                + (f"; DB {info['db_mb']:,.0f} MB" if "db_mb" in info else "")
                + ".\n\n"
            )
        new = not args.append_results.exists()
        with args.append_results.open("a") as results_md:
            if new:
                results_md.write(
                    "# Benchmark results\n\nAppended by `python benchmarks/run.py "
                    "--append-results`; compare ratios, not absolute seconds.\n"
                )
            results_md.write(head + table + "\n")
        say(f"appended to {args.append_results}")
    return 1 if any_failed else 0


def bench_backend(
    args: argparse.Namespace,
    chosen: tuple[str, ...],
    db: Database,
    data: Path,
    cli: str,
    env: dict,
    out: Path,
    baselines: dict[str, Step],
    info: dict,
    say,
) -> tuple[dict[str, Step], list[Target], bool]:
    """Run the chosen steps against one database; return the steps, the targets checked and
    whether an equality check failed. The baselines (parse, twarc-network) and the bundled
    example run once, with the first backend, and count for every backend."""
    workdir = out.parent
    stamp = workdir / f"bench-{db.backend}.source"
    results: dict[str, Step] = {}
    equal: dict | None = None
    db_bytes: int | None = None

    def run(name: str, argv: list[str], display: str, before=None, stdout: Path | None = None,
            runs: int | None = None, note: str = "", extra: dict | None = None,
            on_db: bool = True) -> Step:  # fmt: skip
        step = Step(name, display, note=note)
        child_env = dict(env, **(extra or {}))
        for i in range(runs or args.runs):
            if before:
                before()
            say(f"{db.backend}: {name} run {i + 1}/{runs or args.runs}: {display}")
            sample = measure(argv, stdout, child_env, args.timeout)
            if on_db and not db.measures_writes:
                sample.write_bytes = None  # the server writes, not the command
            step.samples.append(sample)
            say(f"  {sample.wall:.2f} s, {sample.rss_mb:,.0f} MB"
                + (" (stopped at --timeout)" if sample.timed_out else ""))  # fmt: skip
            if sample.timed_out:
                step.note = (step.note + "; " if step.note else "") + (
                    f"stopped after --timeout {args.timeout:g} s: the time shown is a lower bound"
                )
                break
        results[name] = step
        return step

    def base(*words: str) -> list[str]:
        return [cli, "--db", db.cli_value, *words]

    def need_db() -> None:
        source = f"{data.name} {data.stat().st_size}"
        if db.exists() and stamp.exists() and stamp.read_text() == source:
            return
        say(f"{db.backend}: importing {data.name} (untimed) for the analytics steps ...")
        db.fresh()
        stamp.unlink(missing_ok=True)
        subprocess.run(base("import", str(data)), check=True, env=env, stdout=subprocess.DEVNULL)
        stamp.write_text(source)

    fmt = ["--format", args.fmt]
    for name in (s for s in STEPS if s in chosen):
        try:
            if name in ("parse", "twarc-network", "example") and name in baselines:
                results[name] = baselines[name]
            elif name == "parse":
                run(name, [sys.executable, "-c", PARSE_ONLY, str(data)],
                    "orjson.loads of every line, nothing else", on_db=False)  # fmt: skip
            elif name == "twarc-network":
                twarc = Path(sys.executable).parent / "twarc2"
                # twarc2's network command is a plugin of its own
                if not twarc.exists() or importlib.util.find_spec("twarc_network") is None:
                    if not baselines:
                        info["notes"].append(
                            "twarc-network: twarc2 or its network plugin is not installed here "
                            "(pip install twarc twarc-network); skipped"
                        )
                    continue
                csv_out = out / "twarc-network.csv"
                run(
                    name,
                    [
                        str(twarc),
                        "network",
                        "--edges",
                        "retweet",
                        "--format",
                        "csv",
                        str(data),
                        str(csv_out),
                    ],
                    "twarc2 network --edges retweet --format csv FILE OUT",
                    note="BEARER_TOKEN=x only to skip twarc2's first-run configuration prompt",
                    extra={"BEARER_TOKEN": "x", "XDG_CONFIG_HOME": str(workdir / "config")},
                    on_db=False,
                )
                # fmt: skip
            elif name == "import":

                def fresh() -> None:
                    db.fresh()
                    stamp.unlink(missing_ok=True)

                step = run(name, base("import", str(data)),
                           "retweetring import FILE (new database)", before=fresh)  # fmt: skip
                if step.timed_out:
                    continue
                stamp.write_text(f"{data.name} {data.stat().st_size}")
                db_bytes = db.size()
                info["db_mb"] = db_bytes / 1e6
                info.setdefault("db_mb_by_backend", {})[db.backend] = db_bytes / 1e6
            elif name == "reimport":
                need_db()
                run(name, base("import", "--force", str(data)),
                    "retweetring import --force FILE (everything stored already)",
                    note="--force reads the file; without it a file already imported is "
                    "skipped by its digest")  # fmt: skip
            elif name in ("report", "mutual", "one-sided"):
                need_db()
                target = out / f"{db.backend}-{name}.{args.fmt}"
                step = run(name, base(name, *fmt), f"retweetring {name} --format {args.fmt}",
                           stdout=target)  # fmt: skip
                if step.timed_out:
                    continue
                if name == "mutual" and args.fmt == "json":
                    info["mutual_pairs"] = len(json.loads(target.read_bytes()))
                if name == "one-sided" and args.fmt == "json":
                    info["one_sided"] = len(json.loads(target.read_bytes()))
            elif name == "introductions":
                need_db()
                run(name, base("introductions", "--top", "100", *fmt),
                    f"retweetring introductions --top 100 --format {args.fmt}",
                    stdout=out / f"{db.backend}-introductions.{args.fmt}")  # fmt: skip
            elif name == "map":
                need_db()
                png = out / f"{db.backend}-map.png"
                run(name, base("map", "--top", "2000", "-o", str(png)),
                    "retweetring map --top 2000 -o map.png")  # fmt: skip
            elif name == "export":
                need_db()
                graphml = out / f"{db.backend}-g.graphml"
                run(name, base("export", "--format", "graphml", "-o", str(graphml)),
                    "retweetring export --format graphml -o g.graphml")  # fmt: skip
            elif name == "thank":
                need_db()
                who = busiest_account(db)
                week = last_full_week()
                thank_fmt = ["--format", "json"] if args.fmt == "json" else []
                run(name, base("thank", who, "--week", week, *thank_fmt),
                    f"retweetring thank {who} --week {week} {' '.join(thank_fmt)}".strip(),
                    stdout=out / f"{db.backend}-thank.out",
                    note="the most retweeted account")  # fmt: skip
            elif name == "example":
                small = workdir / "example.db"
                if not small.exists():
                    subprocess.run([cli, "--db", str(small), "import", str(example_file())],
                                   check=True, env=env, capture_output=True)  # fmt: skip
                run(name, [cli, "--db", str(small), "mutual"],
                    "retweetring mutual on the bundled example (text)",
                    note="interpreter start included; always SQLite", on_db=False)  # fmt: skip
            elif name == "check-equal":
                need_db()
                equal = {}
                for what in ("mutual", "one-sided"):
                    got_path = out / f"{db.backend}-check-{what}.json"
                    step = run(f"check-{what}", base(what, "--format", "json"),
                               f"retweetring {what} --format json", stdout=got_path,
                               runs=1)  # fmt: skip
                    got = got_path.read_text()
                    say(f"computing the reference {what} in-process ...")
                    start = time.perf_counter()
                    want = reference_json(db, what)
                    ref_s = time.perf_counter() - start
                    equal[what] = got == want
                    step.note = (
                        f"{len(json.loads(got)):,} rows; reference (networkx, in-process, "
                        f"graph included) {ref_s:.1f} s; "
                        + ("equal" if got == want else "DIFFERENT: " + first_difference(got, want))
                    )
        except Failed as failure:
            if not args.keep_going:
                raise
            say(str(failure))
            info["notes"].append(f"{db.backend} {name}: FAILED: {str(failure).splitlines()[0]}")
    for name in ("parse", "twarc-network", "example"):
        if name in results:
            baselines.setdefault(name, results[name])
    if db.exists() and "dataset" not in info:
        with contextlib.suppress(Exception):
            info["dataset"] = dataset_stats(db)
    if not db.measures_writes and "import" in results:
        info["notes"].append(
            f"{db.backend}: bytes written and peak RSS are the command's own; the server's "
            "writes and memory are not measured, so the bytes-written target is not checked"
        )
    checks = targets(results, db_bytes if db.measures_writes else None, equal)
    failed = any(c.passed is False and c.step == "check-equal" for c in checks)
    return results, checks, failed


if __name__ == "__main__":
    sys.exit(main())
