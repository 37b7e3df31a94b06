"""MkDocs hooks that build the documentation site from the files where they already live.

MkDocs reads pages only from ``docs/``, but the site also shows the README (as the home page),
the notebooks (rendered by mkdocs-jupyter) and the notebooks' README. This module adds them
as pages without copying them, rewrites the links of every page so that a link that works on
GitHub (``docs/workforce.md``, ``../scenarios/omnichannel_bank.yaml``) also works on the site,
and builds the Guides and Notebooks sections of the navigation from the files present, so a new
guide appears without editing ``mkdocs.yml``. Headings get GitHub's anchors (``#files-written-
by---out``), so one anchor works in both places; ``tests/test_docs_site.py`` checks the links.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
NOTEBOOKS = ROOT / "notebooks"

# The order of the Guides section. A guide listed here but not (yet) written is skipped; a page
# of docs/ not listed here still appears, after these (tests/test_docs_site.py asks that it be
# listed, so that its place is chosen).
GUIDE_ORDER = [
    "scenario-format.md",
    "routing.md",
    "omnichannel.md",
    "workforce.md",
    "planning.md",
    "shift-catalogue.md",
    "import-intervals.md",
    "scale-out.md",
    "performance.md",
    "output-format.md",
    "python-api.md",
    "architecture.md",
]

# Pages of docs/ placed by mkdocs.yml itself rather than in the Guides section.
NOT_GUIDES = {"index.md", "getting-started.md"}

# Pages that live outside docs/: site path -> file in the repository.
EXTERNAL_PAGES = {"index.md": ROOT / "README.md", "notebooks/index.md": NOTEBOOKS / "README.md"}

# Repository files that pages link to but that are not pages (scenario files, ...) are copied
# into the site under this folder, at their path in the repository.
REPO_FILES = "repository"

_LINK = re.compile(r"(!?\[[^\]]*\]\()([^)\s]+)((?:\s+\"[^\"]*\")?\))")
_FENCE = re.compile(r"^(```|~~~)")
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|#|/)", re.IGNORECASE)


def slugify(value: str, separator: str = "-") -> str:
    """A heading's anchor as GitHub makes it: lower case, punctuation dropped, each space a
    hyphen (runs of hyphens are kept, unlike Python-Markdown's default)."""
    value = re.sub(r"<[^>]*>", "", value)
    value = re.sub(r"[^\w\- ]", "", value.strip().lower())
    return value.replace(" ", separator)


def guide_files() -> list[str]:
    """The guides of docs/ in reading order: GUIDE_ORDER first, then any other page by name."""
    present = sorted(p.name for p in DOCS.glob("*.md") if p.name not in NOT_GUIDES)
    ordered = [name for name in GUIDE_ORDER if name in present]
    return ordered + [name for name in present if name not in ordered]


def notebook_files() -> list[Path]:
    """The notebooks, in lesson order."""
    return sorted(NOTEBOOKS.glob("*.ipynb"))


def page_title(path: Path) -> str:
    """The first level-1 heading of a Markdown file or notebook (the file name if it has none)."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem


def guides_nav() -> list[dict]:
    return [{page_title(DOCS / name): name} for name in guide_files()]


def notebooks_nav() -> list:
    lessons = [{page_title(p): f"notebooks/{p.name}"} for p in notebook_files()]
    return ["notebooks/index.md", *lessons]


def _fill(nav: list, section: str, items: list) -> None:
    for entry in nav:
        if isinstance(entry, dict) and section in entry:
            entry[section] = items
            return
    raise ValueError(f"mkdocs.yml: the nav has no section {section!r} for the hook to fill")


def on_config(config):
    """Fill the generated nav sections and give headings GitHub's anchors."""
    _fill(config["nav"], "Guides", guides_nav())
    _fill(config["nav"], "Notebooks", notebooks_nav())
    config["mdx_configs"].setdefault("toc", {})["slugify"] = slugify
    return config


def _real_path(file: File) -> Path:
    return Path(file.abs_src_path).resolve()


@event_priority(100)  # before mkdocs-jupyter, which turns the notebooks into pages
def on_files(files: Files, config) -> Files:
    """Add the README, the notebooks and the files that pages link to outside docs/."""
    for uri, path in EXTERNAL_PAGES.items():
        if files.get_file_from_path(uri) is None:  # a docs/index.md of its own wins
            files.append(File.generated(config, uri, abs_src_path=str(path)))
    for path in notebook_files():
        # a real file under the repository root, not File.generated: mkdocs-jupyter's wrapper
        # cannot see a generated file's source path
        files.append(File(f"notebooks/{path.name}", src_dir=str(ROOT), dest_dir=config["site_dir"],
                          use_directory_urls=config["use_directory_urls"]))
    site_of = {_real_path(f): f.src_uri for f in files if f.abs_src_path}
    for page in [f for f in files if f.src_uri.endswith(".md") and f.abs_src_path]:
        for target in _targets(_real_path(page)):
            if target.is_file() and target not in site_of and target.is_relative_to(ROOT):
                uri = f"{REPO_FILES}/{target.relative_to(ROOT).as_posix()}"
                files.append(File.generated(config, uri, abs_src_path=str(target)))
                site_of[target] = uri
    return files


def _outside_code(markdown: str):
    """Yield (is_prose, chunk) so that links inside fenced code blocks are left alone."""
    chunk, fenced = [], False
    for line in markdown.splitlines(keepends=True):
        if _FENCE.match(line.lstrip()):
            yield (not fenced, "".join(chunk))
            chunk, fenced = [], not fenced
            yield (False, line)
            continue
        chunk.append(line)
    yield (not fenced, "".join(chunk))


def _targets(path: Path):
    for prose, chunk in _outside_code(path.read_text(encoding="utf-8")):
        if prose:
            for match in _LINK.finditer(chunk):
                target = match.group(2)
                if not _EXTERNAL.match(target):
                    yield (path.parent / target.split("#")[0]).resolve()


def on_page_markdown(markdown: str, page, config, files: Files) -> str:
    """Point each relative link at the target's place in the site, wherever the page lives."""
    if not page.file.src_uri.endswith(".md"):
        return markdown  # notebooks are rendered by mkdocs-jupyter from their own file
    source = _real_path(page.file)
    site_of = {_real_path(f): f.src_uri for f in files if f.abs_src_path}
    here = Path(page.file.src_uri).parent

    def relink(match: re.Match) -> str:
        target = match.group(2)
        if _EXTERNAL.match(target):
            return match.group(0)
        path, _, anchor = target.partition("#")
        real = (source.parent / path).resolve() if path else source
        if real.is_dir() and (real / "README.md") in site_of:
            real = real / "README.md"  # a folder link, as GitHub shows it: its README
        if real not in site_of:
            return match.group(0)  # MkDocs reports it as a broken link
        new = os.path.relpath(site_of[real], here.as_posix() or ".").replace(os.sep, "/")
        return f"{match.group(1)}{new}{'#' + anchor if anchor else ''}{match.group(3)}"

    return "".join(_LINK.sub(relink, chunk) if prose else chunk
                   for prose, chunk in _outside_code(markdown))
