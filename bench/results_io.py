"""The common tail of the story and dispute evaluations: the result as one JSON line, and a file in bench/results/."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def finish(name: str, result: dict[str, Any], *, print_json: bool, save: bool) -> None:
    """``--json`` prints ``result`` as one line; unless ``--no-save``, it goes to ``bench/results/<name>-<time>.json``."""
    if print_json:
        print(json.dumps(result))
    if save:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
