"""Benchmark: `pulumi up` of the whole province on the kwok lab, with the source-built engine.

Prints the wall time and resources per second of the first `pulumi up` (policy pack on), of a second
`pulumi up` that changes nothing, and of `pulumi destroy`. Runs in its own lab folder and a copy of
Pulumi.yaml + infra/ (the checkout is not touched) and takes the lab down afterwards; no other lab
may be running (ports are per cluster). Needs `make setup-full`.
Usage: python bench/pulumi.py [--profile full|compact] [--parallel N] [--every-checkpoint]

scripts/pulumi-env.sh sets PULUMI_SKIP_CHECKPOINTS=true (the state is written once, at the end) and
PULUMI_PARALLEL=64 (64 resource operations at once, not the CLI's 4 x cores);
--every-checkpoint measures Pulumi's default instead, the whole state rewritten after every step.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def pulumi_env(lab: Path) -> dict[str, str]:
    out = subprocess.run(
        ["bash", "-c", f'eval "$({ROOT}/scripts/pulumi-env.sh)" && env -0'],
        check=True,
        capture_output=True,
        env={**os.environ, "GOVCLOUD_LAB_DIR": str(lab)},
    ).stdout
    env = dict(line.split("=", 1) for line in out.decode().split("\0") if "=" in line)
    return {**env, "PULUMI_HOME": str(lab / "pulumi" / "home")}


def timed(step: str, cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, str]:
    print(f"  {step} ...", file=sys.stderr, flush=True)
    t0 = time.monotonic()
    r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{step} failed:\n{r.stdout[-3000:]}{r.stderr[-2000:]}")
    return time.monotonic() - t0, r.stdout


def count(stdout: str, word: str) -> int:
    """The '+ 1199 created' style figure of the summary block (resource names may hold digits too)."""
    summary = stdout.rpartition("\nResources:")[2]
    m = re.search(rf"^\W*(\d+) {word}$", summary, re.MULTILINE)
    return int(m.group(1)) if m else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile", default="full", choices=["full", "compact"])
    ap.add_argument(
        "--parallel",
        type=int,
        default=0,
        help="pulumi --parallel (default: PULUMI_PARALLEL from scripts/pulumi-env.sh)",
    )
    ap.add_argument(
        "--every-checkpoint",
        action="store_true",
        help="save the state after every step (Pulumi's default) instead of once at the end",
    )
    args = ap.parse_args()
    par = ["--parallel", str(args.parallel)] if args.parallel else []
    with tempfile.TemporaryDirectory(prefix="govcloud-bench-pulumi-") as tmp:
        lab, project = Path(tmp) / "lab", Path(tmp) / "project"
        govcloud = [sys.executable, "-m", "govcloud"]
        genv = {**os.environ, "GOVCLOUD_LAB_DIR": str(lab)}
        try:
            print(f"lab up --profile {args.profile} ...", file=sys.stderr)
            subprocess.run(
                [*govcloud, "lab", "up", "--profile", args.profile],
                check=True,
                env=genv,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
            project.mkdir()
            shutil.copy(ROOT / "Pulumi.yaml", project)
            shutil.copytree(ROOT / "infra", project / "infra", ignore=shutil.ignore_patterns("__pycache__"))
            config = {
                "govcloud:topology": str(ROOT / "topology.yaml"),
                "govcloud:kubeconfig": str(lab / "kubeconfig"),
                "govcloud:profile": args.profile,
            }
            settings = project / ".lab" / "pulumi" / "Pulumi.lab.yaml"  # Pulumi.yaml's stackConfigDir
            settings.parent.mkdir(parents=True)
            settings.write_text(yaml.safe_dump({"config": config}))
            env = pulumi_env(lab)
            if args.every_checkpoint:
                env["PULUMI_SKIP_CHECKPOINTS"] = "false"
            p = ["pulumi", "--non-interactive"]
            timed("stack init", [*p, "stack", "select", "lab", "--create"], project, env)
            pack = ["--policy-pack", str(ROOT / "policy" / "govcloud-policy")]
            up_s, up = timed("pulumi up", [*p, "up", "--yes", "--skip-preview", *pack, *par], project, env)
            again_s, again = timed(
                "second pulumi up", [*p, "up", "--yes", "--expect-no-changes", *pack, *par], project, env
            )
            destroy_s, destroy = timed("pulumi destroy", [*p, "destroy", "--yes", "--skip-preview", *par], project, env)
        finally:
            subprocess.run([*govcloud, "lab", "down", "--keep-hosts"], env=genv, cwd=ROOT, stdout=subprocess.DEVNULL)
    created, deleted = count(up, "created"), count(destroy, "deleted")
    saves = "after every step" if args.every_checkpoint else "once at the end"
    parallel = args.parallel or env.get("PULUMI_PARALLEL", "the CLI's default")
    print(f"pulumi on the kwok lab, profile {args.profile}, parallel {parallel}, state saved {saves}:")
    print(
        f"  pulumi up        {up_s:7.1f} s   {created} resources created, {created / up_s:.1f} resources/s "
        "(policy pack on)"
    )
    print(f"  second up        {again_s:7.1f} s   {count(again, 'unchanged')} unchanged (preview + update)")
    print(f"  pulumi destroy   {destroy_s:7.1f} s   {deleted} deleted, {deleted / destroy_s:.1f} resources/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
