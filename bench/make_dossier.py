"""Generate a synthetic dossier of N topics with the shape of the bundled one.

Topics cycle through the real ones; every id is made unique (``t0042-…``) and
every reference is rewritten, so the result passes ``diplobrief check``.

    .venv/bin/python bench/make_dossier.py 1000 /tmp/dossier-1000
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from diplobrief.paths import DEFAULT_DOSSIER


def _rename_facts(node: Any, mapping: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {
            key: [mapping.get(item, item) for item in value]
            if key == "facts" and value and isinstance(value[0], str)
            else _rename_facts(value, mapping)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rename_facts(item, mapping) for item in node]
    return node


def make_dossier(count: int, target: Path, pack_documents: int = 100) -> Path:
    """Write a dossier with ``count`` topics and a ``scale`` pack to ``target``."""
    if target.exists():
        shutil.rmtree(target)
    (target / "topics").mkdir(parents=True)
    (target / "packs").mkdir()
    text = (DEFAULT_DOSSIER / "dossier.yaml").read_text(encoding="utf-8")
    # A dossier's id is its folder's name.
    text = re.sub(r"^id: .*$", f"id: {target.name}", text, count=1, flags=re.MULTILINE)
    (target / "dossier.yaml").write_text(text, encoding="utf-8")
    mandate = yaml.safe_load(text)
    referenced = {
        fact
        for value in mandate.values()
        if isinstance(value, dict)
        for fact in value.get("facts", [])
    }
    originals = sorted(
        (
            yaml.safe_load(path.read_text(encoding="utf-8"))
            for path in (DEFAULT_DOSSIER / "topics").glob("*.yaml")
        ),
        # Topics holding the mandate record's facts come first, so every size has them.
        key=lambda topic: (
            not referenced & {fact["id"] for fact in topic["facts"]},
            topic["order"],
        ),
    )
    ids = []
    for number in range(count):
        original = originals[number % len(originals)]
        prefix = f"t{number:04d}"
        # The mandate record refers to the first copy's facts, which keep their ids.
        mapping = (
            {}
            if number < len(originals)
            else {fact["id"]: f"{prefix}-{fact['id']}" for fact in original["facts"]}
        )
        topic = _rename_facts(original, mapping)
        topic["facts"] = [
            {**fact, "id": mapping.get(fact["id"], fact["id"])} for fact in topic["facts"]
        ]
        topic["id"] = original["id"] if number < len(originals) else f"{prefix}-{original['id']}"
        topic["order"] = number
        ids.append(topic["id"])
        path = target / "topics" / f"{topic['id']}.yaml"
        path.write_text(
            yaml.safe_dump(topic, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    kinds = ("briefing-note", "talking-points", "lessons-learned")
    entries = [
        {"topic": ids[index % len(ids)], "kind": kinds[(index // len(ids)) % len(kinds)]}
        for index in range(pack_documents)
    ]
    pack = {
        "id": "scale",
        "title": {lang: f"Scale test ({pack_documents} documents)" for lang in ("nl", "fr", "en")},
        "subtitle": {lang: f"{count} topics" for lang in ("nl", "fr", "en")},
        "entries": entries,
    }
    (target / "packs" / "scale.yaml").write_text(yaml.safe_dump(pack), encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("target", type=Path)
    parser.add_argument("--pack-documents", type=int, default=100)
    args = parser.parse_args()
    make_dossier(args.count, args.target, args.pack_documents)
    print(args.target)


if __name__ == "__main__":
    main()
