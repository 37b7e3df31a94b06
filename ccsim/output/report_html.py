"""The building blocks of the HTML report: numbers as shown, KPI cells that carry their raw
values, tables, embedded PNG figures and the style sheet.

Every number cell of a KPI table carries the raw mean in ``data-value`` (the same float as in
``ccsim run --json``'s summary, empty when undefined) and its half-width in ``data-ci95``; the row
carries ``data-section`` and ``data-name``, the cell ``data-kpi``. A service-level cell compared
with its target also carries ``data-target`` and the class ``meet`` or ``miss`` (green or red).
"""

from __future__ import annotations

import base64
import html
import io
import math

__all__ = ["defined", "shown", "raw", "verdict", "cell", "table", "plain_table",
           "figure_data_uri", "slug", "STYLE", "esc"]

esc = html.escape


def defined(value) -> bool:
    return value is not None and not (isinstance(value, float) and not math.isfinite(value))


def shown(estimate: dict, kind: str) -> tuple[str, str]:
    """(mean, ± half-width) as shown: percentages in %, times in seconds, counts with commas."""
    mean, half = estimate["mean"], estimate["ci95"]
    if not defined(mean):
        return "–", ""
    scale, unit, digits = {"pct": (100, " %", 1), "sec": (1, " s", 1), "count": (1, "", 1),
                           "num": (1, "", 2)}[kind]
    text = f"{scale * mean:,.{digits}f}{unit}"
    return text, (f"± {scale * half:,.{digits}f}" if defined(half) else "")


def raw(value) -> str:
    return repr(float(value)) if defined(value) else ""


def verdict(mean, target) -> str:
    """``meet`` or ``miss`` (the mean against the target), empty when either is undefined."""
    if not (defined(mean) and defined(target)):
        return ""
    return "meet" if mean >= target - 1e-12 else "miss"


def cell(estimate: dict, kind: str, kpi: str, target=None) -> str:
    mean, half = shown(estimate, kind)
    ci = f' <span class="ci">{esc(half)}</span>' if half else ""
    mark = verdict(estimate["mean"], target) if target is not None else ""
    extra = (f' data-target="{raw(target)}"' if target is not None else "")
    return (f'<td class="num{" " + mark if mark else ""}" data-kpi="{kpi}" '
            f'data-value="{raw(estimate["mean"])}" data-ci95="{raw(estimate["ci95"])}"{extra}>'
            f'{esc(mean)}{ci}</td>')


def table(table_id: str, caption: str, first: str, rows, columns, extra=None,
          targets=None) -> str:
    """rows: (section, name, label, kpis); ``extra``: (heading, {name: text}) for a text column;
    ``targets``: {name: service-level target}, colouring those rows' service-level cells."""
    head = [f"<th>{esc(first)}</th>"]
    if extra:
        head.append(f"<th>{esc(extra[0])}</th>")
    head += [f'<th class="num">{esc(title)}</th>' for _, title, _ in columns]
    body = []
    for section, name, label, kpis in rows:
        cells = [f'<th scope="row">{esc(label)}</th>']
        if extra:
            cells.append(f"<td>{esc(extra[1].get(name, ''))}</td>")
        target = (targets or {}).get(name)
        cells += [cell(kpis[kpi], kind, kpi, target if kpi == "service_level" else None)
                  for kpi, _, kind in columns]
        name_attr = f' data-name="{esc(name)}"' if name is not None else ""
        body.append(f'<tr data-section="{section}"{name_attr}>{"".join(cells)}</tr>')
    return (f'<div class="scroll"><table id="{table_id}" class="kpi"><caption>'
            f'{esc(caption)}</caption><thead><tr>{"".join(head)}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def plain_table(table_id: str, caption: str, head, rows) -> str:
    """A table of text (scenario tables): ``rows`` are lists of already escaped cells."""
    header = "".join(f"<th>{esc(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (f'<div class="scroll"><table id="{table_id}" class="plain"><caption>{esc(caption)}'
            f"</caption><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table></div>")


def figure_data_uri(figure, dpi: int = 100) -> str:
    """The figure as a base64 PNG ``data:`` URI (the figure is closed)."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower())


STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: #1d1d1f; background: #fff; margin: 0; line-height: 1.45; }
main { max-width: 1100px; margin: 0 auto; padding: 20px 28px 48px; }
h1 { font-size: 1.5em; margin: 0 0 2px; } h2 { font-size: 1.25em; margin: 30px 0 8px;
     border-bottom: 1px solid #d0d0d5; padding-bottom: 4px; } h3 { font-size: 1.05em; margin: 20px 0 6px; }
.lead { color: #555; margin: 0 0 10px; font-size: .92em; }
section#targets-missed { border: 2px solid #c62828; border-radius: 8px; padding: 4px 16px 10px;
       background: #fff8f7; } section#targets-missed.all-met { border-color: #2e7d32;
       background: #f4fbf4; } section#targets-missed h2 { margin-top: 8px; border: 0; }
#targets-missed ul { margin: 0; padding-left: 1.1em; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dl.meta dt { color: #555; } dl.meta dd { margin: 0; font-family: ui-monospace, Menlo, Consolas, monospace; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; }
.card { border: 1px solid #d0d0d5; border-radius: 6px; padding: 8px 12px; }
.card .label { color: #555; font-size: .85em; } .card .value { font-size: 1.35em; font-weight: 600; }
table.kpi, table.plain { border-collapse: collapse; width: 100%; font-size: .84em; margin: 8px 0 4px; }
table.kpi caption, table.plain caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
table.kpi th, table.kpi td, table.plain th, table.plain td { padding: 4px 5px;
       border-bottom: 1px solid #e4e4e8; text-align: left; vertical-align: top; }
table.kpi thead th, table.plain thead th { border-bottom: 2px solid #bbb; vertical-align: bottom; }
table.kpi tbody th, table.kpi td:nth-child(2) { white-space: nowrap; }
.scroll { overflow-x: auto; }
table.kpi .num { text-align: right; font-variant-numeric: tabular-nums; }
table.kpi td.num { white-space: nowrap; }
table.kpi tr[data-section="overall"] th, table.kpi tr[data-section="overall"] td { font-weight: 600; }
td.meet, table.grid td.meet { background: #e3f4e1; color: #1b5e20; }
td.miss, table.grid td.miss { background: #fde0dc; color: #b71c1c; }
table.grid { border-collapse: collapse; font-size: .72em; margin: 6px 0 10px; }
table.grid th, table.grid td { padding: 2px 3px; border: 1px solid #fff; text-align: center;
       font-variant-numeric: tabular-nums; white-space: nowrap; }
table.grid td.none { background: #f2f2f4; color: #999; }
table.grid caption { text-align: left; font-weight: 600; padding-bottom: 2px; font-size: 1.25em; }
.ci { color: #666; font-size: .88em; display: block; }
figure { margin: 12px 0; } figure img { max-width: 100%; height: auto; display: block; }
pre { background: #f6f6f8; border: 1px solid #e4e4e8; padding: 10px; font-size: .8em;
      overflow-x: auto; white-space: pre-wrap; }
details summary { cursor: pointer; color: #555; }
.note { color: #555; font-size: .9em; }
@media print { main { max-width: none; padding: 0; } h2 { break-after: avoid; }
  figure, table.kpi, .card { break-inside: avoid; } pre { white-space: pre-wrap; } }
"""
