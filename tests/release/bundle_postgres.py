"""The built bundle on a team's PostgreSQL database: ``make bundle-test`` runs this after the
self-test, so CI proves the bundle carries the PostgreSQL driver as well as SQLite's.

    python -m tests.release.bundle_postgres dist/debtdesk/debtdesk

It starts a private throwaway server (tests/pg_server.py), makes a 20-account demo there
with the bundle, and checks that ``check`` passes and that the aged-debt report's balance
is the demo's. One line a step; exit 0 when all passed, 1 otherwise.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from tests.pg_server import PostgresServer


def _run(program: str, *argv: str) -> dict[str, object]:
    done = subprocess.run([program, *argv, "--json"], capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[2:4])} exited {done.returncode}: {done.stderr}")
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main(program: str) -> int:
    base = Path(tempfile.mkdtemp(prefix="debtdesk-bundle-pg-"))
    base.chmod(0o755)
    server = PostgresServer.start(base)
    try:
        server.create_database("team")
        url = server.url("team")
        demo = _run(program, "--db", url, "demo", "--accounts", "20", "--as-of", "2026-11-10")
        checked = _run(program, "--db", url, "check")
        xlsx = str(base / "aged-debt.xlsx")
        aged = _run(program, "--db", url, "report", "aged-debt", "--as-of", "2026-11-10",
                    "--xlsx", xlsx)  # fmt: skip
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        print(f"bundle on PostgreSQL: FAILED: {exc}", flush=True)
        return 1
    finally:
        server.stop()
    if not checked["ok"] or aged["balance"] != demo["balance_total"]:
        print(f"bundle on PostgreSQL: FAILED: check {checked}, report {aged}", flush=True)
        return 1
    print(
        f"bundle on PostgreSQL: ok: {demo['accounts']} accounts, check ok, aged debt "
        f"£{Decimal(str(aged['balance'])):,} = the demo's balance",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
