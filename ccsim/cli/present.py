"""``ccsim report`` and ``ccsim animate``: a run as one HTML page, one replication as a GIF."""

from __future__ import annotations

from pathlib import Path

import click

from ..limits import LIMITS
from ..output.tables import console
from .common import fail, load_or_fail
from .params import JOBS, REPLICATIONS, SEED, Integer, Number, OutputFile, literal
from .command import code_policy

__all__ = ["report", "animate"]


@click.command()
@click.argument("source", type=click.Path())
@click.option("-o", "--output", type=OutputFile((".html", ".htm")), required=True, help="HTML file to write.")
@click.option("-r", "--replications", type=REPLICATIONS, help="Replications (default: the scenario's, or the run's for a results directory).")
@click.option("--seed", type=SEED, help="Master seed (default: the scenario's, or the run's for a results directory).")
@click.option("-j", "--jobs", type=JOBS, default=1, show_default=True, help="Parallel worker processes (0 = one per core).")
@code_policy("parse")
def report(source, output, replications, seed, jobs):
    """Write a self-contained HTML report (KPI tables, charts, scenario) of SOURCE: a scenario file, or a `ccsim run --out` directory, simulated again from its run.json (scenario file, seed, replications, policy), which gives the run's numbers."""
    from ..output.report import ReportError, write_report
    from ..output.run_file import RunFileError, read_run
    from ..routing import is_policy_file, policy_code_mode

    def refuse_code(policy: str) -> None:
        if is_policy_file(policy) and policy_code_mode() != "allow":
            fail(f"the run is routed by the policy file {policy}, which is Python code: "
                 f"report simulates the run again and so would execute it; pass --allow-code "
                 f"if you trust it")

    def load(path: str):
        spec = load_or_fail(path)
        refuse_code(spec.routing.policy)
        return spec

    try:
        if Path(source).is_dir():
            refuse_code(str(read_run(Path(source)).get("policy", "")))
        from .common import progress_bar
        with progress_bar("report: replications", quiet=False) as progress:
            write_report(source, output, load, replications, seed, jobs, progress)
    except RunFileError as exc:
        fail(str(exc))
    except ReportError as exc:
        fail(str(exc), status=exc.status)
    console.print(literal(f"written: {output}"))


@click.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=OutputFile((".gif",)), required=True, help="GIF file to write.")
@click.option("--start", help="First frame: HH:MM on the first day, 'day N HH:MM', a weekday such as 'tue 09:00', or 'YYYY-MM-DD HH:MM' with the scenario's start_date (default: the scenario's start).")
@click.option("--minutes", type=Number(0, LIMITS.horizon / 60, low_open=True), default=60, show_default=True, help="Simulated minutes shown (one frame a minute, at most 120 frames).")
@click.option("--fps", type=Integer(1, 100), default=8, show_default=True, help="Frames per second.")
@click.option("--seed", type=SEED, help="Master seed (default: the scenario's); replication 0 is shown.")
@code_policy("folder")
def animate(scenario, output, start, minutes, fps, seed):
    """Write a GIF of one replication: agents talking / in after-contact work / idle, queues, IVR."""
    from ..output.animate import frame_data, parse_start, write_animation

    from .common import routing_error_message
    from ..engine.center import RoutingError

    spec = load_or_fail(scenario)
    try:
        data = frame_data(spec, None if start is None else parse_start(start, spec), minutes,
                          seed=seed)
    except ValueError as exc:
        fail(f"--start: {exc}" if start is not None and "--" not in str(exc) else str(exc))
    except RoutingError as exc:
        fail(routing_error_message(exc, spec.routing.policy))
    try:
        write_animation(data, output, fps)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}", status=1)
    console.print(literal(f"written: {output} ({len(data.times)} frames from "
                          f"{data.clock(0)[:-3]})"))
