"""The documentation site: every relative link in the docs leads somewhere, every guide has a
place in the navigation, and ``mkdocs build --strict`` passes (a broken link, a missing anchor
or an API name that no longer exists is a warning, so it fails the build).

The link checks read the Markdown files themselves (no mkdocs needed) and compute anchors as
GitHub does, so a link that passes here works both on GitHub and on the site (the site's hook
gives headings the same anchors)."""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
HOOK = DOCS / "hooks" / "ccsim_site.py"
PAGES = sorted([ROOT / "README.md", ROOT / "notebooks" / "README.md", *DOCS.glob("*.md"),
                *DOCS.glob("api/*.md")])
HAS_MKDOCS = all(importlib.util.find_spec(m) for m in ("mkdocs", "mkdocstrings", "mkdocs_jupyter"))
NEEDS_MKDOCS = pytest.mark.skipif(not HAS_MKDOCS, reason="mkdocs, mkdocstrings or mkdocs-jupyter "
                                  "is not installed (pip install -e '.[docs]')")

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|/)", re.IGNORECASE)


def prose_lines(text: str):
    """The lines of a Markdown text outside fenced code blocks."""
    fenced = False
    for line in text.splitlines():
        if re.match(r"\s*(```|~~~)", line):
            fenced = not fenced
        elif not fenced:
            yield line


def github_anchors(path: Path) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown file (repeats get -1, -2, ...)."""
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    for line in prose_lines(path.read_text(encoding="utf-8")):
        heading = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if heading:
            slug = re.sub(r"[^\w\- ]", "", heading.group(1).strip().lower()).replace(" ", "-")
            anchors.add(f"{slug}-{seen[slug]}" if slug in seen else slug)
            seen[slug] = seen.get(slug, 0) + 1
    return anchors


def relative_links(path: Path):
    for line in prose_lines(path.read_text(encoding="utf-8")):
        for target in LINK.findall(line):
            if not EXTERNAL.match(target):
                yield target


def link_problems(path: Path, root: Path = ROOT) -> list[str]:
    problems = []
    for target in relative_links(path):
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            problems.append(f"{target}: no such file")
        elif not linked.is_relative_to(root):
            problems.append(f"{target}: outside the repository")
        elif linked.is_dir() and not (linked / "README.md").is_file():
            problems.append(f"{target}: a folder without a README.md (the site has no page for it)")
        elif anchor and linked.suffix == ".md" and anchor not in github_anchors(linked):
            problems.append(f"{target}: no heading with the anchor #{anchor}")
    return problems


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_lead_somewhere(path):
    assert link_problems(path) == []


def test_the_link_check_catches_a_broken_link_and_anchor(tmp_path):
    (tmp_path / "other.md").write_text("# Other page\n\n## Files written by `--out`\n")
    page = tmp_path / "page.md"
    page.write_text("[ok](other.md#files-written-by---out) [gone](missing.md) "
                    "[bad](other.md#nowhere)\n```\n[in code](ignored.md)\n```\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up.md").write_text("[outside](../../elsewhere.md) [folder](../sub/)\n")
    (tmp_path.parent / "elsewhere.md").touch()
    assert link_problems(page, tmp_path) == [
        "missing.md: no such file", "other.md#nowhere: no heading with the anchor #nowhere"]
    assert link_problems(tmp_path / "sub" / "up.md", tmp_path) == [
        "../../elsewhere.md: outside the repository",
        "../sub/: a folder without a README.md (the site has no page for it)"]


def hook_constant(name: str):
    """A constant of the site hook, read without importing it (so without mkdocs)."""
    for node in ast.parse(HOOK.read_text(encoding="utf-8")).body:
        names = [getattr(t, "id", None) for t in getattr(node, "targets", [])]
        if isinstance(node, ast.Assign) and name in names:
            return ast.literal_eval(node.value)
    raise AssertionError(f"{HOOK} defines no {name}")


def test_every_guide_has_a_chosen_place_in_the_navigation():
    # The hook puts a page missing from GUIDE_ORDER at the end of the Guides; list it so its
    # place is chosen.
    placed = set(hook_constant("GUIDE_ORDER")) | set(hook_constant("NOT_GUIDES"))
    unplaced = sorted(p.name for p in DOCS.glob("*.md") if p.name not in placed)
    assert unplaced == [], f"add {unplaced} to GUIDE_ORDER in {HOOK.relative_to(ROOT)}"


def test_every_api_page_and_fixed_page_is_in_mkdocs_yml():
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    wanted = [f"api/{p.name}" for p in DOCS.glob("api/*.md")] + sorted(hook_constant("NOT_GUIDES"))
    assert [page for page in wanted if f" {page}" not in config] == []


def mkdocs_build(root: Path, site: Path, execute: bool) -> subprocess.CompletedProcess:
    env = dict(os.environ, CCSIM_DOCS_EXECUTE="true" if execute else "false",
               PYTHONPATH=os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]))
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                          cwd=root, env=env, capture_output=True, text=True, timeout=600)


@NEEDS_MKDOCS
@pytest.mark.slow
def test_site_builds_strictly_with_executed_notebooks(tmp_path):
    site = tmp_path / "site"
    build = mkdocs_build(ROOT, site, execute=True)
    assert build.returncode == 0, build.stderr[-4000:]
    assert not re.search(r"^WARNING\s+-", build.stderr, re.M), build.stderr[-4000:]
    for page in DOCS.glob("*.md"):
        name = "" if page.name == "index.md" else page.stem
        assert (site / name / "index.html").is_file(), page.name
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        html = (site / "notebooks" / notebook.stem / "index.html").read_text(encoding="utf-8")
        assert "jp-OutputArea-output" in html, f"{notebook.name} rendered without outputs"
    charts = sum("data:image/png" in p.read_text(encoding="utf-8")
                 for p in (site / "notebooks").glob("*/index.html"))
    assert charts >= 5  # the lessons draw their charts in the build
    api = (site / "api" / "index.html").read_text(encoding="utf-8")
    assert 'id="ccsim.simulate"' in api and 'id="ccsim.load_scenario"' in api
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="output-format/"' in home  # the README's docs/ links, pointed into the site


def copy_for_build(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    for name in ("docs", "notebooks", "ccsim", "scenarios"):
        shutil.copytree(ROOT / name, root / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("mkdocs.yml", "README.md"):
        shutil.copy(ROOT / name, root / name)
    return root


@NEEDS_MKDOCS
@pytest.mark.slow
@pytest.mark.parametrize("breakage, message", [
    ("See [a guide that is gone](gone.md).", "gone.md"),
    ("See [the workforce guide](workforce.md#no-such-section).", "no-such-section"),
    ("::: ccsim.theory.erlang_z", "ccsim.theory.erlang_z"),
], ids=["missing-page", "missing-anchor", "stale-api-name"])
def test_the_strict_build_fails_on_a_broken_link_or_a_stale_api_name(tmp_path, breakage, message):
    root = copy_for_build(tmp_path)
    page = root / "docs" / "getting-started.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{breakage}\n", encoding="utf-8")
    build = mkdocs_build(root, tmp_path / "site", execute=False)
    assert build.returncode != 0 and message in build.stderr, build.stderr[-4000:]
