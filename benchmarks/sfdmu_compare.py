"""Our loader side by side with SFDMU, the most used open-source Salesforce data loader.

The peer (untimed, once): Node 22, the Salesforce CLI and the SFDMU plugin (3.7.19) at the
versions of the tracked lockfile `benchmarks/sfdmu-tools/`, installed with `npm ci` into the
git-ignored `.tools/sfdmu/`; the CLI's home, data, config and cache folders are inside it too
(`.tools/sfdmu/home`), so nothing goes to the user's home. The plugin is registered with
`sf plugins link` on the locked copy rather than `sf plugins install`, which would resolve the
plugin's dependency ranges against the registry's newest versions at install time. When npm, the
registry or any install step fails, the results say "peer not installed: <reason>" and the
benchmark ends normally. To move to other versions: `npm install --package-lock-only
sfdmu@<version>` (or `@salesforce/cli@<version>`) in `benchmarks/sfdmu-tools/`, commit the
lockfile; the next run reinstalls (the install is keyed by the lockfile's hash).

Set-up (untimed): a work folder ready to load (BENCH_SFDMU_TICKETS, default 1,000 tickets), made
as `benchmarks/load.py` makes it (`run_demo` with `load=False`), copied three times, one fresh
org each. The sync tables are exported for SFDMU (`benchmarks/sfdmu_export.py`: the rows and
fields our loader sends, as `<Object>.csv` and an `export.json` that upserts on `Stames_Id__c`).

Timed, one after the other, each org served by `stames-sf salesforce serve` in its own process:
1. ours, the whole load: `run_load_stage` (every gate, then records and files) in a child process,
   as `benchmarks/load.py` runs it, over HTTPS;
2. ours on the same objects as SFDMU: the same runner (`run_load`) with the files left out of the
   mapping it is handed, so both loaders load exactly the same rows;
3. SFDMU: `sf sfdmu run --sourceusername csvfile --targetusername <alias> --path <dir> --noprompt`,
   the org served with `--http` (the Node client's choice); the CLI is logged in to it with
   `sf org login access-token` beforehand (untimed).
Per run: wall time of the process, the org's API calls (`/__admin/api-usage` before and after),
peak RSS (ours: the child's VmHWM; SFDMU: the RSS of the `sf` process tree sampled every 50 ms).
Then each org's contents (`/__admin/export`) are compared record by record on `Stames_Id__c` for
the objects both loaded: every field but Ids, system stamps (SystemModstamp, LastModifiedDate,
CreatedById, LastModifiedById, LastViewedDate, LastReferencedDate) and auto-numbers, with lookups
compared by the parent's `Stames_Id__c`. A field whose two values are each a time inside its own
loader's run (a CreatedDate no loader sent, a ClosedDate) is the org's stamp of the write, counted
apart and not as a difference.

`python -m benchmarks.sfdmu_compare --datasets DIR` keeps the ready work folder in DIR.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from benchmarks.load import OrgProcess, _fresh_copy, _machine, _ready
from benchmarks.measure import peak_rss_mb, write_results
from benchmarks.sfdmu_export import SfdmuExport, export_for_sfdmu
from mapping.model import EXTERNAL_ID_FIELD as STAMES_ID

NAME = "sfdmu_compare"
MODULE = f"benchmarks.{NAME}"
TICKETS = int(os.environ.get("BENCH_SFDMU_TICKETS", "1000"))
REPOSITORY = Path(__file__).resolve().parents[1]
LOCKED_TOOLS = Path(__file__).resolve().parent / "sfdmu-tools"
LOCKED_FILES = ("package.json", "package-lock.json")
TOOLS = REPOSITORY / ".tools"
PEER_DIR = TOOLS / "sfdmu"
NPM_CACHE = TOOLS / "npm-cache"
INSTALLED_MARKER = ".installed"
PLUGIN = "sfdmu"
NODE_MAJOR = "v22."
INSTALL_TIMEOUT_S = 1200
PING_TIMEOUT_S = 30
COMMAND_TIMEOUT_S = 300
SFDMU_TIMEOUT_S = 3600
RSS_SAMPLE_S = 0.05
TARGET_ALIAS = "sfdmu-target"
FILE_OBJECTS = frozenset({"ContentVersion"})
SYSTEM_FIELDS = frozenset(
    {
        "Id",
        "SystemModstamp",
        "LastModifiedDate",
        "CreatedById",
        "LastModifiedById",
        "LastViewedDate",
        "LastReferencedDate",
    }
)
EXAMPLES = 3
API_DATETIME = "%Y-%m-%dT%H:%M:%S.%f%z"
STAMP_MARGIN = timedelta(seconds=5)
QUIET_NPM = {
    "npm_config_cache": str(NPM_CACHE),
    "npm_config_fund": "false",
    "npm_config_audit": "false",
    "npm_config_update_notifier": "false",
}


# --- the peer (untimed) ------------------------------------------------------------------------


class PeerNotInstalledError(RuntimeError):
    """The peer could not be installed; the message says why."""


@dataclass(frozen=True)
class Peer:
    """`sf` with Node 22 first on PATH and every folder of the CLI inside `root`."""

    root: Path

    @property
    def bin_dir(self) -> Path:
        return self.root / "node_modules" / ".bin"

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def plugin_root(self) -> Path:
        return self.root / "node_modules" / PLUGIN

    def environment(self, **extra: str) -> dict[str, str]:
        home = self.home
        return {
            **os.environ,
            "PATH": f"{self.bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
            "HOME": str(home),  # sfdx-core keeps auth files and aliases in ~/.sfdx and ~/.sf
            "XDG_DATA_HOME": str(home / ".local" / "share"),  # oclif: the linked plugin
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "SF_DISABLE_TELEMETRY": "true",
            "SF_AUTOUPDATE_DISABLE": "true",
            "SF_DISABLE_AUTOUPDATE": "true",  # oclif's name: without it a detached `sf update` starts
            "SF_SKIP_NEW_VERSION_CHECK": "true",
            "SF_USE_GENERIC_UNIX_KEYCHAIN": "true",  # a key file under HOME, never the desktop keyring
            "SFDX_USE_GENERIC_UNIX_KEYCHAIN": "true",
            **QUIET_NPM,
            **extra,
        }

    def run(self, *args: str, timeout: float = COMMAND_TIMEOUT_S, **extra: str) -> str:
        done = subprocess.run(
            [str(self.bin_dir / "sf"), *args],
            env=self.environment(**extra),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise PeerNotInstalledError(f"sf {' '.join(args)} failed: {_tail(done.stdout + done.stderr)}")
        return done.stdout

    def versions(self) -> dict[str, str]:
        node = subprocess.run(
            [str(self.bin_dir / "node"), "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()
        packages = self.root / "node_modules"
        cli = json.loads((packages / "@salesforce" / "cli" / "package.json").read_text(encoding="utf-8"))
        plugin = json.loads((packages / PLUGIN / "package.json").read_text(encoding="utf-8"))
        return {"node": node, "@salesforce/cli": cli["version"], PLUGIN: plugin["version"]}


def _tail(text: str, lines: int = 6) -> str:
    """The last lines of a tool's output, on one line, without this machine's folders."""
    text = text.replace(str(REPOSITORY), ".").replace(tempfile.gettempdir(), "$TMPDIR")
    return " | ".join(line.strip() for line in text.strip().splitlines()[-lines:] if line.strip())


def _lock_hash() -> str:
    digest = hashlib.sha256()
    for name in LOCKED_FILES:
        digest.update((LOCKED_TOOLS / name).read_bytes())
    return digest.hexdigest()


def _npm_problem(npm: str) -> str | None:
    """Why the npm registry cannot be reached, or None."""
    try:
        ping = subprocess.run(
            [npm, "ping", "--fetch-retries=1", f"--fetch-timeout={PING_TIMEOUT_S * 1000}"],
            env={**os.environ, **QUIET_NPM},
            capture_output=True,
            text=True,
            timeout=PING_TIMEOUT_S * 3,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"npm ping got no answer in {PING_TIMEOUT_S * 3} s"
    return None if ping.returncode == 0 else f"npm ping failed: {_tail(ping.stderr + ping.stdout, 2)}"


def _linked(peer: Peer) -> bool:
    """Whether the CLI's user plugins (oclif's `package.json` in its data folder) link this copy."""
    manifest = peer.home / ".local" / "share" / "sf" / "package.json"
    try:
        plugins = json.loads(manifest.read_text(encoding="utf-8"))["oclif"]["plugins"]
    except (OSError, ValueError, KeyError):
        return False
    return any(item.get("root") == str(peer.plugin_root) for item in plugins if isinstance(item, dict))


def install_peer(root: Path = PEER_DIR) -> Peer:
    """The peer in `root`, installed there from the lockfile unless already installed from it."""
    peer = Peer(root)
    marker = root / INSTALLED_MARKER
    if marker.is_file() and marker.read_text(encoding="utf-8").strip() == _lock_hash():
        if not _linked(peer):  # the repository moved: the link names the old folder
            peer.run("plugins", "link", str(peer.plugin_root), "--no-install")
        return peer
    npm = shutil.which("npm")
    if npm is None:
        raise PeerNotInstalledError("npm is not on the PATH")
    problem = _npm_problem(npm)
    if problem is not None:
        raise PeerNotInstalledError(f"the npm registry cannot be reached: {problem}")
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    for name in LOCKED_FILES:
        shutil.copyfile(LOCKED_TOOLS / name, root / name)
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [npm, "ci", "--no-fund", "--no-audit"],
            cwd=root,
            env={**os.environ, **QUIET_NPM},
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PeerNotInstalledError(f"npm ci did not finish in {INSTALL_TIMEOUT_S} s") from None
    if done.returncode != 0:
        raise PeerNotInstalledError(f"npm ci failed: {_tail(done.stdout + done.stderr)}")
    node = peer.versions()["node"]
    if not node.startswith(NODE_MAJOR):
        raise PeerNotInstalledError(f"expected Node 22 from the lockfile, got {node}")
    peer.home.mkdir(exist_ok=True)
    peer.run("plugins", "link", str(peer.plugin_root), "--no-install")
    if "sfdmu run" not in peer.run("sfdmu", "run", "--help"):
        raise PeerNotInstalledError("the sfdmu plugin is linked but `sf sfdmu run` is not there")
    marker.write_text(_lock_hash() + "\n", encoding="utf-8")
    print(f"installed the peer in {time.perf_counter() - started:.0f} s: {peer.versions()}", flush=True)
    return peer


# --- the orgs ----------------------------------------------------------------------------------


class _Org(OrgProcess):
    """The benchmark's org server with its daily API limit lifted, and the reads the comparison needs."""

    def __init__(self, work: Path, log: Path, *, http: bool = False) -> None:
        super().__init__(work, log, http=http)
        self.lift_daily_limit()

    @property
    def api_version(self) -> str:
        return str(self.connection["api_version"])

    def api_used(self) -> int:
        return int(self.api_usage()["used"])

    def export(self) -> dict[str, list[dict[str, Any]]]:
        response = self.session.get(f"{self.url}/__admin/export", timeout=600)
        response.raise_for_status()
        return response.json()

    def rest(self, path: str, **params: str) -> Any:
        url = f"{self.url}/services/data/v{self.api_version}/{path}"
        headers = {"Authorization": f"Bearer {self.connection['access_token']}"}
        response = self.session.get(url, params=params, headers=headers, timeout=60)
        response.raise_for_status()
        return response.json()


# --- what to load: our plan and the export for SFDMU (untimed) ----------------------------------


def _plan_inputs(work: Path) -> tuple[Any, dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """The confirmed mapping, the sync tables' columns and the custom objects' fields, read as the
    loader reads them (`loaders.load.runner._plan`)."""
    from expectations.sync_tables import CUSTOM_OBJECT_RECORDS_TABLE, SOBJECT_COLUMN, SYNC_SCHEMA
    from stames_sf.mapping_service import require_mapping
    from stames_sf.workdir import WorkDir

    mapping = require_mapping(WorkDir.at(work))
    columns: dict[str, tuple[str, ...]] = {}
    custom: dict[str, tuple[str, ...]] = {}
    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        for table, column in con.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = ? "
            "ORDER BY ordinal_position",
            [SYNC_SCHEMA],
        ).fetchall():
            columns[table] = (*columns.get(table, ()), column)
        if CUSTOM_OBJECT_RECORDS_TABLE in columns:
            for sobject, key in con.execute(
                f"SELECT DISTINCT {SOBJECT_COLUMN}, unnest(json_keys(stames__field_values)) "
                f'FROM {SYNC_SCHEMA}."{CUSTOM_OBJECT_RECORDS_TABLE}" ORDER BY 1, 2'
            ).fetchall():
                custom[sobject] = (*custom.get(sobject, ()), key)
    return mapping, columns, custom


def _describes(org: _Org, sobjects: list[str]) -> dict[str, dict]:
    return {sobject: org.rest(f"sobjects/{sobject}/describe") for sobject in sobjects}


def prepare_sfdmu(org: _Org, folder: Path) -> tuple[SfdmuExport, dict[str, dict]]:
    """The CSV files and export.json for SFDMU, from the sync tables in `org`'s work folder and
    the plan our loader makes against that org."""
    from expectations.sync_tables import sync_models
    from loaders.load.plan import build_plan

    mapping, columns, custom = _plan_inputs(org.work)
    sobjects = [model.sobject for model in sync_models(mapping) if not model.extension]
    describes = _describes(org, sobjects)
    plan = build_plan(mapping, describes, columns, custom)
    if plan.problems:
        raise RuntimeError("the org does not match the sync tables: " + "; ".join(plan.problems))
    users = org.rest("query", q="SELECT Id, Name FROM User")["records"]
    user_names = {record["Id"]: record["Name"] for record in users}
    with duckdb.connect(str(org.work / "warehouse.duckdb"), read_only=True) as con:
        export = export_for_sfdmu(con, plan, describes, user_names, folder, org.api_version)
    return export, describes


# --- ours (timed, in a child) -------------------------------------------------------------------


def _phases(outcome: Any) -> list[dict[str, Any]]:
    return [
        {
            "phase": summary.phase,
            "sobject": summary.sobject,
            "status": summary.status,
            "source_rows": summary.counts.source_rows,
            "created": summary.counts.created,
            "updated": summary.counts.updated,
            "linked": summary.counts.linked,
            "failed": summary.counts.failed,
        }
        for summary in outcome.phases
    ]


def child_load_records(work_dir: str) -> None:
    """Our runner on the objects SFDMU loads too: the files are left out of the mapping it is
    handed (the gates of `run_load_stage` were passed by the full run on the same data)."""
    from dlt_pipelines.stames.native_heap import bound_native_heap
    from emulators.salesforce.http.server import connection_path
    from expectations.record import data_hash
    from loaders.load.context import SilentProgress
    from loaders.load.http import Clock
    from loaders.load.runner import LoadRequest, run_load
    from mapping.document import content_hash
    from stames_sf.mapping_service import require_mapping
    from stames_sf.org_access import org_http
    from stames_sf.workdir import WorkDir, exclusive_run

    bound_native_heap()
    work = WorkDir.at(Path(work_dir))
    started = time.perf_counter()
    mapping = require_mapping(work)
    records_only = mapping.model_copy(
        update={"objects": [entry for entry in mapping.objects if entry.target not in FILE_OBJECTS]}
    )
    clock = Clock()
    with exclusive_run(work), org_http(connection_path(work.salesforce_state), clock) as http:
        with duckdb.connect(str(work.warehouse), read_only=True) as con:
            fingerprint = data_hash(con)
        request = LoadRequest(
            warehouse=work.warehouse,
            work_root=work.root,
            mapping=records_only,
            mapping_hash=content_hash(mapping),
            data_hash=fingerprint,
            http=http,
            spill_dir=work.duckdb_spill,
        )
        outcome = run_load(request, clock, SilentProgress())
    measured = {
        "load_s": round(time.perf_counter() - started, 1),
        "status": outcome.status,
        "reason": outcome.reason,
        "api_calls": outcome.api_calls,
        "phases": _phases(outcome),
        "peak_rss_mb": round(peak_rss_mb()),
    }
    print(json.dumps(measured))


def _run_ours(work: Path, org: _Org, mode: str) -> dict[str, Any]:
    """`--child-load` of benchmarks/load.py (the whole `run_load_stage`) or `--child-load-records`."""
    module, flag = ("benchmarks.load", "--child-load") if mode == "full" else (MODULE, "--child-load-records")
    before = org.api_used()
    started_at, started = datetime.now(UTC), time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", module, flag, str(work)], capture_output=True, text=True, check=False
    )
    wall, finished_at = time.perf_counter() - started, datetime.now(UTC)
    calls = org.api_used() - before
    window = {"started_at": started_at.isoformat(), "finished_at": finished_at.isoformat()}
    if completed.returncode != 0:
        return {"status": "error", "error": _tail(completed.stderr, 12), "wall_s": round(wall, 1), **window}
    measured = json.loads(completed.stdout.strip().splitlines()[-1])
    return {
        **window,
        "status": measured["status"],
        "reason": measured.get("reason"),
        "wall_s": round(wall, 1),
        "load_s": measured["load_s"],
        "api_calls": calls,
        "api_calls_counted_by_loader": measured["api_calls"],
        "peak_rss_mb": measured["peak_rss_mb"],
        "peak_rss_how": "the child's VmHWM",
        "failed_records": sum(phase["failed"] for phase in measured["phases"]),
        "phases": [
            {
                key: phase[key]
                for key in ("phase", "sobject", "status", "created", "updated", "linked", "failed")
            }
            for phase in measured["phases"]
        ],
    }


# --- SFDMU (timed) -------------------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii", errors="replace").splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(root: int) -> tuple[int, int]:
    """(sum, largest) resident memory of `root` and its descendants now, in kB."""
    tree = _children()
    pending, sizes = [root], []
    while pending:
        pid = pending.pop()
        sizes.append(_rss_kb(pid))
        pending.extend(tree.get(pid, ()))
    return sum(sizes), max(sizes, default=0)


def _with_token(folder: Path, org: _Org) -> None:
    """Name the target org in export.json's `orgs` with the instance URL and the access token the
    CLI was logged in with. SFDMU 3.7 otherwise parses the text of `sfdx force:org:display`, which
    the sf 2.x CLI prints as a boxed table with the token redacted, so the plugin cannot read it."""
    script_file = folder / "export.json"
    script = json.loads(script_file.read_text(encoding="utf-8"))
    script["orgs"] = [
        {"name": TARGET_ALIAS, "instanceUrl": org.url, "accessToken": org.connection["access_token"]}
    ]
    script_file.write_text(json.dumps(script, indent=2) + "\n", encoding="utf-8")


STARTED_USING = "operation has been started using"
REPORTS = {
    "CSVIssuesReport.csv": ("Child sObject", "Child field", "Error"),
    "MissingParentRecordsReport.csv": ("Child SObject", "Child lookup", "Parent SObject"),
}


def _sfdmu_summary(output: str) -> list[str]:
    keep = ("Total processed", "Exit code", "Total time elapsed", "[ERROR]", "missing parent")
    return [line.strip() for line in output.splitlines() if any(word in line for word in keep)]


def _sfdmu_reports(folder: Path) -> dict[str, dict[str, int]]:
    """SFDMU's own problem reports beside export.json, counted per object and column."""
    reports: dict[str, dict[str, int]] = {}
    for name, columns in REPORTS.items():
        path = folder / name
        if not path.is_file():
            continue
        counts: dict[str, int] = {}
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                label = " ".join(str(row.get(column) or "") for column in columns).strip()
                counts[label] = counts.get(label, 0) + 1
        reports[name] = counts
    return reports


def _run_sfdmu(peer: Peer, org: _Org, folder: Path, log: Path) -> dict[str, Any]:
    login = [
        "org",
        "login",
        "access-token",
        "--instance-url",
        org.url,
        "--no-prompt",
        "--alias",
        TARGET_ALIAS,
    ]
    peer.run(*login, SF_ACCESS_TOKEN=org.connection["access_token"])
    _with_token(folder, org)
    command = [str(peer.bin_dir / "sf"), PLUGIN, "run", "--sourceusername", "csvfile"]
    command += ["--targetusername", TARGET_ALIAS, "--path", str(folder), "--noprompt"]
    before = org.api_used()
    peak_sum = peak_one = 0
    started_at, started = datetime.now(UTC), time.perf_counter()
    with log.open("w", encoding="utf-8") as output:
        process = subprocess.Popen(command, env=peer.environment(), stdout=output, stderr=subprocess.STDOUT)
        while process.poll() is None:
            total, largest = tree_rss_kb(process.pid)
            peak_sum, peak_one = max(peak_sum, total), max(peak_one, largest)
            if time.perf_counter() - started > SFDMU_TIMEOUT_S:
                process.kill()
            time.sleep(RSS_SAMPLE_S)
    wall, finished_at = time.perf_counter() - started, datetime.now(UTC)
    calls = org.api_used() - before
    text = log.read_text(encoding="utf-8", errors="replace")
    return {
        "started_at": started_at.isoformat(),
        "finished_at": finished_at.isoformat(),
        "status": "completed" if process.returncode == 0 else f"exit code {process.returncode}",
        "wall_s": round(wall, 1),
        "api_calls": calls,
        "peak_rss_mb": round(peak_sum / 1024),
        "peak_rss_largest_process_mb": round(peak_one / 1024),
        "peak_rss_how": f"the sf process tree's RSS, sampled every {int(RSS_SAMPLE_S * 1000)} ms",
        "summary": _sfdmu_summary(text),
        "reports": _sfdmu_reports(folder),
        "engines": sorted(
            {line.split("using ")[-1].rstrip(".") for line in text.splitlines() if STARTED_USING in line}
        ),
    }


# --- comparing the orgs ----------------------------------------------------------------------------


def _auto_numbers(describes: Mapping[str, Mapping[str, Any]]) -> dict[str, set[str]]:
    return {
        sobject: {field["name"] for field in describe.get("fields", []) if field.get("autoNumber")}
        for sobject, describe in describes.items()
    }


def _keyed(
    export: Mapping[str, list[dict[str, Any]]], sobjects: list[str], auto_numbers: Mapping[str, set[str]]
) -> dict[str, dict[str, dict[str, Any]]]:
    """sobject → Stames id → the record's comparable fields, lookups as `<Object>:<Stames id>`."""
    by_id = {
        record["Id"]: f"{sobject}:{record[STAMES_ID]}"
        for sobject, records in export.items()
        for record in records
        if record.get(STAMES_ID) and record.get("Id")
    }
    keyed: dict[str, dict[str, dict[str, Any]]] = {}
    for sobject in sobjects:
        skipped = SYSTEM_FIELDS | auto_numbers.get(sobject, set())
        keyed[sobject] = {
            str(record[STAMES_ID]): {
                name: by_id.get(value, value) if isinstance(value, str) else value
                for name, value in record.items()
                if name not in skipped
            }
            for record in export.get(sobject, [])
            if record.get(STAMES_ID)
        }
    return keyed


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


Window = tuple[datetime, datetime]


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value, API_DATETIME)
    except ValueError:
        return None


def _stamped(mine: Any, other: Any, windows: tuple[Window, Window] | None) -> bool:
    """Both values are instants inside their own loader's run: the org wrote the time of the write
    (a CreatedDate no loader sent, a ClosedDate), not data."""
    if windows is None:
        return False
    instants = (_instant(mine), _instant(other))
    return all(
        instant is not None and start - STAMP_MARGIN <= instant <= end + STAMP_MARGIN
        for instant, (start, end) in zip(instants, windows, strict=True)
    )


def compare_orgs(
    ours: Mapping[str, list[dict[str, Any]]],
    theirs: Mapping[str, list[dict[str, Any]]],
    sobjects: list[str],
    describes: Mapping[str, Mapping[str, Any]],
    windows: tuple[Window, Window] | None = None,
) -> dict[str, Any]:
    """Per object: records only one org has, and for the records both have, every field that differs
    (how many records, a few examples). With `windows` (each loader's run, UTC), a field whose two
    values are each a time inside its own run is counted as stamped by the org, not as a difference."""
    numbers = _auto_numbers(describes)
    left, right = _keyed(ours, sobjects, numbers), _keyed(theirs, sobjects, numbers)
    objects: dict[str, Any] = {}
    for sobject in sobjects:
        mine, other = left[sobject], right[sobject]
        fields: dict[str, dict[str, Any]] = {}
        stamped: dict[str, int] = {}
        differing = 0
        for key in sorted(mine.keys() & other.keys()):
            changed = []
            for name in sorted(mine[key].keys() | other[key].keys()):
                if mine[key].get(name) == other[key].get(name):
                    continue
                if _stamped(mine[key].get(name), other[key].get(name), windows):
                    stamped[name] = stamped.get(name, 0) + 1
                else:
                    changed.append(name)
            differing += bool(changed)
            for name in changed:
                field = fields.setdefault(name, {"records": 0, "examples": []})
                field["records"] += 1
                if len(field["examples"]) < EXAMPLES:
                    shown = {"stames_id": key, "ours": _shown(mine[key].get(name))}
                    field["examples"].append({**shown, "sfdmu": _shown(other[key].get(name))})
        objects[sobject] = {
            "ours": len(mine),
            "sfdmu": len(other),
            "only_ours": len(mine.keys() - other.keys()),
            "only_sfdmu": len(other.keys() - mine.keys()),
            "only_ours_examples": sorted(mine.keys() - other.keys())[:EXAMPLES],
            "same": len(mine.keys() & other.keys()) - differing,
            "differing": differing,
            "fields": fields,
            "stamped_at_load": stamped,
        }
    same = all(
        not item["only_ours"] and not item["only_sfdmu"] and not item["differing"]
        for item in objects.values()
    )
    return {"same": same, "objects": objects}


def _loaded(export: Mapping[str, list[dict[str, Any]]], sobjects: list[str]) -> dict[str, int]:
    return {
        sobject: sum(1 for record in export.get(sobject, []) if record.get(STAMES_ID)) for sobject in sobjects
    }


# --- the run ----------------------------------------------------------------------------------------


def _windows(runs: Mapping[str, Mapping[str, Any]], ours: str) -> tuple[Window, Window] | None:
    def window(name: str) -> Window | None:
        run = runs[name]
        if "started_at" not in run:
            return None
        return datetime.fromisoformat(run["started_at"]), datetime.fromisoformat(run["finished_at"])

    mine, theirs = window(ours), window("sfdmu")
    return (mine, theirs) if mine and theirs else None


def run(datasets_root: Path, scratch: Path) -> dict[str, Any]:
    results: dict[str, Any] = {"machine": _machine(), "tickets": TICKETS}
    try:
        peer = install_peer()
        results["peer"] = {"installed": True, "versions": peer.versions()}
    except (PeerNotInstalledError, OSError, subprocess.SubprocessError) as error:
        results["peer"] = {"installed": False, "reason": str(error)}
        print(f"peer not installed: {error}", flush=True)
        return results
    ready, made = _ready(datasets_root, TICKETS)
    results["setup_s"] = made["setup_s"]
    works = {name: _fresh_copy(ready, scratch / name) for name in ("ours_full", "ours_same", "sfdmu")}
    orgs: dict[str, _Org] = {}
    try:
        orgs["sfdmu"] = _Org(works["sfdmu"], scratch / "org-sfdmu.log", http=True)
        export, describes = prepare_sfdmu(orgs["sfdmu"], scratch / "sfdmu-csv")
        results["export"] = {
            "objects": [asdict(item) for item in export.objects],
            "left_out": export.left_out,
        }
        runs: dict[str, dict[str, Any]] = {}
        for name, mode in (("ours_full", "full"), ("ours_same", "same")):
            orgs[name] = _Org(works[name], scratch / f"org-{name}.log")
            runs[name] = {
                "load_average_at_start": round(os.getloadavg()[0], 2),
                **_run_ours(works[name], orgs[name], mode),
            }
            print(
                json.dumps({name: {key: value for key, value in runs[name].items() if key != "phases"}}),
                flush=True,
            )
        runs["sfdmu"] = {"load_average_at_start": round(os.getloadavg()[0], 2)}
        try:
            runs["sfdmu"].update(_run_sfdmu(peer, orgs["sfdmu"], export.folder, scratch / "sfdmu.log"))
        except (PeerNotInstalledError, OSError, subprocess.SubprocessError) as error:
            runs["sfdmu"].update(status="error", error=str(error))
        print(json.dumps({"sfdmu": runs["sfdmu"]}), flush=True)
        exports = {name: org.export() for name, org in orgs.items()}
    finally:
        for org in orgs.values():
            org.stop()
    sobjects = export.sobjects
    results["runs"] = runs
    results["sync_rows"] = {item.sobject: item.rows for item in export.objects}
    results["loaded"] = {name: _loaded(exports[name], [*sobjects, *FILE_OBJECTS]) for name in exports}
    results["compare_same_objects"] = compare_orgs(
        exports["ours_same"], exports["sfdmu"], sobjects, describes, _windows(runs, "ours_same")
    )
    results["compare_full"] = compare_orgs(
        exports["ours_full"], exports["sfdmu"], sobjects, describes, _windows(runs, "ours_full")
    )
    return results


# --- results ---------------------------------------------------------------------------------------


RUN_NAMES = {
    "ours_full": "ours, whole load (records + files)",
    "ours_same": "ours, same objects as SFDMU",
    "sfdmu": "SFDMU",
}


def _cell(run: dict[str, Any], key: str, unit: str = "") -> str:
    value = run.get(key)
    if value is None:
        return "–"
    return f"{value:,}{unit}" if isinstance(value, int | float) else str(value)


def _measure_table(results: dict[str, Any]) -> list[str]:
    runs = results["runs"]
    names = [name for name in RUN_NAMES if name in runs]
    loaded = results["loaded"]
    sobjects = list(results["sync_rows"])

    def row(label: str, cells: list[str]) -> str:
        return f"| {label} | {' | '.join(cells)} |"

    return [
        f"| measure | {' | '.join(RUN_NAMES[name] for name in names)} |",
        f"|---|{'---|' * len(names)}",
        row("status", [_cell(runs[name], "status") for name in names]),
        row("wall time of the process", [_cell(runs[name], "wall_s", " s") for name in names]),
        row("Salesforce API calls (the org's count)", [_cell(runs[name], "api_calls") for name in names]),
        row("peak RSS", [_cell(runs[name], "peak_rss_mb", " MB") for name in names]),
        row(
            "records loaded (objects both load)",
            [f"{sum(loaded[name][sobject] for sobject in sobjects):,}" for name in names],
        ),
        row(
            "files loaded (ContentVersion)", [f"{loaded[name].get('ContentVersion', 0):,}" for name in names]
        ),
        row("load average at the start", [_cell(runs[name], "load_average_at_start") for name in names]),
    ]


def _objects_table(results: dict[str, Any]) -> list[str]:
    loaded = results["loaded"]
    exported = {item["sobject"]: item for item in results["export"]["objects"]}
    lines = [
        "| object | sync rows | ours, whole load | ours, same objects | SFDMU | SFDMU operation |",
        "|---|---|---|---|---|---|",
    ]
    for sobject, rows in results["sync_rows"].items():
        counts = [f"{loaded[name].get(sobject, 0):,}" for name in ("ours_full", "ours_same", "sfdmu")]
        lines.append(f"| {sobject} | {rows:,} | {' | '.join(counts)} | {exported[sobject]['operation']} |")
    files = loaded["ours_full"].get("ContentVersion", 0)
    lines.append(f"| ContentVersion (files) | – | {files:,} | 0 | 0 | not exported |")
    return lines


def _comparison(title: str, compared: dict[str, Any]) -> list[str]:
    verdict = "the same" if compared["same"] else "not the same"
    lines = [
        f"### {title}: {verdict}",
        "",
        "| object | same | differing | only in ours | only in SFDMU's |",
        "|---|---|---|---|---|",
    ]
    for sobject, item in compared["objects"].items():
        lines.append(
            f"| {sobject} | {item['same']:,} | {item['differing']:,} | {item['only_ours']:,} | "
            f"{item['only_sfdmu']:,} |"
        )
    differences = [
        (sobject, name, field)
        for sobject, item in compared["objects"].items()
        for name, field in item["fields"].items()
    ]
    if differences:
        lines += [
            "",
            "| object | field | records | example (Stames id: ours → SFDMU's) |",
            "|---|---|---|---|",
        ]
        for sobject, name, field in differences:
            example = field["examples"][0]
            shown = f"{example['stames_id']}: {example['ours']} → {example['sfdmu']}".replace("|", "\\|")
            lines.append(f"| {sobject} | {name} | {field['records']:,} | {shown} |")
    stamped = [
        f"{sobject}.{name} ({count:,})"
        for sobject, item in compared["objects"].items()
        for name, count in item["stamped_at_load"].items()
    ]
    if stamped:
        lines += [
            "",
            "Not counted as differences: fields the org stamped with the time of the write in both orgs "
            f"(each value inside its own loader's run): {', '.join(stamped)}.",
        ]
    return lines


def _object_line(item: dict[str, Any]) -> str:
    parts = [f"`{item['sobject']}` ({item['operation']}, {item['rows']:,} rows)"]
    if item["lookups"]:
        parts.append("parents by " + ", ".join(f"`{name}`" for name in item["lookups"]))
    if item["user_lookups"]:
        parts.append("owners by " + ", ".join(f"`{name}`" for name in item["user_lookups"]))
    if item["unknown_users"]:
        parts.append(f"{item['unknown_users']:,} owner values naming no User of the org (left blank)")
    if item["left_out_fields"]:
        parts.append("left out: " + ", ".join(f"`{name}`" for name in item["left_out_fields"]))
    if item["org_matched"]:
        parts.append(
            f"{item['org_matched']:,} rows matched to records already in the org, which ours updates "
            "and SFDMU would create again"
        )
    return f"- {'; '.join(parts)}."


def _peer_notes(results: dict[str, Any]) -> list[str]:
    export = results["export"]
    sfdmu = results["runs"]["sfdmu"]
    engines = ", ".join(sfdmu.get("engines", [])) or "–"
    lines = [
        "## What each loader loaded, and what not",
        "",
        "**Ours** loads every sync table: Accounts, Contacts, Cases (with their custom fields), the custom "
        "objects, the status history, EmailMessages and Tasks with Bulk API 2.0 or sObject Collections "
        "(upsert on `Stames_Id__c`, parents by their `Stames_Id__c`), then the files as ContentVersions "
        "(multipart, one upload per distinct file, the rest linked), and points the `stames-file:` inline "
        "images of EmailMessage HtmlBody at the uploaded files. The same-objects run is the same runner "
        "with the files left out of the mapping it is handed.",
        "",
        "**SFDMU** loads what the CSV export holds (`benchmarks/sfdmu_export.py`: the rows and fields ours "
        'sends, from our own load plan), with Bulk API 2.0 (`bulkApiVersion: "2.0"`; the org has no Bulk '
        "API 1.0) or, under its default `bulkThreshold` of 200 records, the REST API; used here: "
        f"{engines}. Everything else is SFDMU's default, a Bulk job polled every 5 s (`pollingIntervalMs`) "
        "included.",
        "",
        *(_object_line(item) for item in export["objects"]),
        *(f"- `{sobject}` not exported: {reason}." for sobject, reason in export["left_out"].items()),
        "- The CSV files have SFDMU's own layout: an `Id` column of made-up source Ids linking rows to "
        "their parent rows, each lookup column beside the parent's external id (`Parent.Stames_Id__c`), the "
        "org's Users in `User.csv` (SFDMU matches owners on Name). With `excludeIdsFromCSVFiles` and the "
        "external-id columns alone, SFDMU 3.7.19 left Case.ParentId, Case → warranty (a circle) and every "
        "owner empty.",
        "- Task goes in with `Insert`, not `Upsert`: to upsert, SFDMU first reads the target's Tasks, and "
        "for a polymorphic lookup (`WhatId$Case`, `WhoId$Contact`) it asks with SOQL `TYPEOF`, which the "
        "local org does not implement. On a fresh org the result is the same; a second run would insert "
        "the Tasks again.",
        "- An EmailMessage HtmlBody keeps its `stames-file:` placeholders: SFDMU has no files to point "
        "them at.",
        "- SFDMU 3.7 is handed the org's URL and token in export.json's `orgs`: it otherwise parses the "
        "text of `sfdx force:org:display`, which the sf 2.x CLI prints as a boxed table with the token "
        "redacted. The CLI itself is logged in to the org (`sf org login access-token`) and runs the plugin.",
    ]
    reports = sfdmu.get("reports") or {}
    for name, counts in reports.items():
        listed = ", ".join(f"{label} ({count:,})" for label, count in counts.items())
        lines.append(f"- SFDMU's `{name}`: {listed}.")
    return lines


def _markdown(results: dict[str, Any]) -> str:
    machine = results["machine"]
    lines = [
        "# Side by side with SFDMU",
        "",
        f"Machine: {machine['cpus']} CPUs, {machine['memory_gb']} GB RAM, 1-minute load average "
        f"{machine['load_average_1m_at_start']} at the start. {results['tickets']:,} tickets.",
        "",
    ]
    peer = results["peer"]
    if not peer["installed"]:
        lines += [f"**peer not installed: {peer['reason']}**", "", "Nothing was measured."]
        return "\n".join(lines)
    versions = ", ".join(f"{name} {version}" for name, version in peer["versions"].items())
    lines += [
        f"Peer: {versions} (npm lockfile `benchmarks/sfdmu-tools/`, installed into the git-ignored "
        "`.tools/sfdmu/`).",
        "",
        "Each loader loads its own fresh copy of the same ready work folder into its own org, one after "
        "the other, each org served by `stames-sf salesforce serve` in its own process (ours over HTTPS, "
        "SFDMU's over plain HTTP). Wall time is the loader's process from start to exit; API calls are the "
        "org's own count (`/__admin/api-usage`) before and after; peak RSS is the loader child's VmHWM for "
        "ours and the `sf` process tree's RSS sampled every 50 ms for SFDMU (Node; "
        f"{results['runs']['sfdmu'].get('peak_rss_largest_process_mb', '–')} MB for its largest process).",
        "",
        *_measure_table(results),
        "",
        "## Records per object in each org (with a Stames id)",
        "",
        *_objects_table(results),
        "",
        "## Org contents",
        "",
        "Compared on `Stames_Id__c`, every field but Ids, system stamps (SystemModstamp, LastModifiedDate, "
        "CreatedById, LastModifiedById, LastViewedDate, LastReferencedDate) and auto-numbers (CaseNumber); "
        "lookups compared by the parent's `Stames_Id__c`.",
        "",
        *_comparison("Ours on the same objects vs SFDMU", results["compare_same_objects"]),
        "",
        *_comparison("Ours, whole load, vs SFDMU", results["compare_full"]),
        "",
        *_peer_notes(results),
    ]
    sfdmu = results["runs"]["sfdmu"]
    if sfdmu.get("summary"):
        lines += ["", "SFDMU's own summary:", "", "```", *sfdmu["summary"], "```"]
    return "\n".join(lines)


def main(datasets_root: Path | None = None) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-sfdmu-") as scratch:
        results = run(datasets_root or Path(scratch) / "datasets", Path(scratch))
    markdown = _markdown(results)
    write_results(NAME, results, markdown)
    print(markdown)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--child-load-records"]:
        child_load_records(arguments[1])
    elif arguments[:1] == ["--datasets"]:
        main(Path(arguments[1]))
    else:
        main()
