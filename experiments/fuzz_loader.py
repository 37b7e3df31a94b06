"""Mutation fuzzing of the scenario loader: every mutant must load or raise ScenarioError.

A seeded mutator takes the shipped scenarios (``scenarios/*.yaml`` and the documented
example) and changes them the way hostile or careless input does: on the YAML tree it deletes,
duplicates or renames keys and replaces values with hostile ones (huge, negative, NaN and
infinite numbers, 400-digit numbers, strings, lists, mappings, deep nesting, impossible dates,
unicode); on the text it truncates, flips bytes, deletes or repeats lines. Any exception other
than ``ScenarioError`` is a crash, recorded by its type and the file:line of the frame that
raised it.

    python experiments/fuzz_loader.py [--mutants 5000] [--seed 1]

prints the mutants tried, how many loaded, were rejected or crashed, and the distinct failure
sites. ``tests/test_fuzz_loader.py`` runs a few hundred of the same mutants in the suite.
"""

from __future__ import annotations

import argparse
import copy
import random
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "scenarios").glob("*.yaml")) + [ROOT / "docs" / "example-scenario.yaml"]

HOSTILE = [2**63, -(2**63), -1, 0, 1e308, -1e308, 1e-300, float("nan"), float("inf"),
           float("-inf"), "nan", "inf", "-5min", "1e308s", "0s", "1e400/h", "9" * 400,
           "9" * 400 + "/h", "", " ", "x", "🙂", "\u202e", "2026-02-30", "25:99", "mon-sun",
           [], {}, [1, 2], {"a": 1}, {"dist": "exponential"}, True, False, None,
           [[[[[[[[1]]]]]]]], {"csv": "nope.csv", "column": "x"},
           {"csv": "../README.md", "column": "x"}, "longest_idle", "x.py:Y", "file.txt:Router"]


def _paths(node, path=()):
    """Every (path, value) of a YAML tree."""
    out = [(path, node)]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, path + (index,))
    return out


def _parent(tree, path):
    for part in path[:-1]:
        tree = tree[part]
    return tree


def mutate_tree(tree, rng: random.Random):
    """One structural change of a copy of ``tree``."""
    tree = copy.deepcopy(tree)
    path, value = rng.choice(_paths(tree)[1:])
    parent, key = _parent(tree, path), path[-1]
    operation = rng.choice(("replace", "replace", "replace", "delete", "duplicate", "rename",
                            "nest", "wrap"))
    if operation == "delete":
        del parent[key]
    elif operation == "duplicate" and isinstance(parent, dict):
        parent[f"{key}_copy" if rng.random() < 0.5 else rng.choice(list(parent))] = value
    elif operation == "duplicate":
        parent.insert(key, copy.deepcopy(value))
    elif operation == "rename" and isinstance(parent, dict):
        parent[str(key)[::-1] or "x"] = parent.pop(key)
    elif operation == "nest":
        deep = value
        for _ in range(rng.choice((2, 10, 70))):
            deep = [deep]
        parent[key] = deep
    elif operation == "wrap":
        parent[key] = {"value": value} if rng.random() < 0.5 else [value, value]
    else:
        parent[key] = copy.deepcopy(rng.choice(HOSTILE))
    return tree


def mutate_text(text: str, rng: random.Random) -> str:
    """One textual change: truncation, a flipped byte, a deleted or repeated line."""
    lines = text.splitlines(keepends=True)
    operation = rng.choice(("truncate", "flip", "delete_line", "repeat_line", "insert"))
    if operation == "truncate":
        return text[:rng.randrange(len(text))]
    if operation == "flip":
        data = bytearray(text.encode())
        i = rng.randrange(len(data))
        data[i] ^= 1 << rng.randrange(8)
        return data.decode("utf-8", errors="replace") if rng.random() < 0.5 else \
            data.decode("latin-1")
    if operation in ("delete_line", "repeat_line") and lines:
        i = rng.randrange(len(lines))
        lines[i:i + 1] = [] if operation == "delete_line" else [lines[i]] * rng.choice((2, 3))
        return "".join(lines)
    i = rng.randrange(len(text) + 1)
    return text[:i] + rng.choice(("&a ", "*a", "!!int x", "{", "[", "'", ": ", "\t", "\x00",
                                  "? ", "<<: *a", "!!python/object:os.system x", "- ")) + text[i:]


def mutants(count: int, seed: int):
    """``count`` (label, text, base_dir) mutants, reproducible from ``seed``."""
    rng = random.Random(seed)
    sources = [(path, path.read_text(encoding="utf-8")) for path in SEEDS]
    trees = [(path, yaml.safe_load(text)) for path, text in sources]
    for index in range(count):
        path, text = rng.choice(sources)
        if rng.random() < 0.6:
            tree = dict(trees)[path]
            for _ in range(rng.choice((1, 1, 2, 3))):
                tree = mutate_tree(tree, rng)
            text = yaml.safe_dump(tree, sort_keys=False, allow_unicode=True)
        else:
            text = mutate_text(text, rng)
        yield f"{path.name}#{index}", text, path.parent


def failure_site(exc: BaseException) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    return f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"


def try_mutant(text: str, base_dir: Path) -> str | None:
    """None if the mutant loads or is rejected with a ScenarioError, else its failure site."""
    from ccsim.scenario import ScenarioError, scenario_from_text

    try:
        scenario_from_text(text, "mutant.yaml", base_dir)
    except ScenarioError:
        return None
    except Exception as exc:  # noqa: BLE001 - any other exception is what we hunt
        return failure_site(exc)
    return None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from ccsim.scenario import ScenarioError, scenario_from_text

    counts, sites, examples = Counter(), Counter(), {}
    started = time.perf_counter()
    for label, text, base in mutants(args.mutants, args.seed):
        try:
            scenario_from_text(text, "mutant.yaml", base)
            counts["loaded"] += 1
        except ScenarioError:
            counts["rejected"] += 1
        except Exception as exc:  # noqa: BLE001
            counts["crashed"] += 1
            site = failure_site(exc)
            sites[site] += 1
            examples.setdefault(site, label)
    elapsed = time.perf_counter() - started
    print(f"mutants tried: {args.mutants} (seed {args.seed}) in {elapsed:.1f}s")
    print(f"loaded: {counts['loaded']}, rejected with a located error: {counts['rejected']}, "
          f"crashed: {counts['crashed']}")
    print(f"distinct failure sites: {len(sites)}")
    for site, n in sites.most_common():
        print(f"  {n:5d}  {site}  (first: {examples[site]})")
    return 1 if sites else 0


if __name__ == "__main__":
    sys.exit(main())
