"""Confidence that means something: claim relations scored by a model fitted on judged relations.

A rule's hand-set base ("explicit-rejection 0.9") says how sure its author was, not how
often a reader signs its links; on news-dev the two were 0.9 and about one in two. So a
relation's confidence is the probability that a careful reader accepts it, from a logistic
model over what the rule measured (:class:`RelationFeatures`): the rule, how a rejection
found its target (by content, by a speaker it names, the claim just before it, the target
of the rejection before it), how much of what it rejects the target holds, hedges, guessed
actors, whether both claims are in one article.

The weights live in ``kgraph/analyze/claim-calibration.json``, fitted by
``bench/calibrate_relations.py`` on the judged samples in ``bench/gold/`` (the fit and its
cross-validated reliability are recorded there too). The model is an offset on the logit of
the rule's base, so a rule no reader judged keeps its base, and L2 shrinkage keeps a sparse
feature near it. A user filtering at 0.8 should get about 80 % relations a reader signs:
``bench/calibrate_relations.py`` measures that out of fold, ``bench/eval_relations.py`` on a build.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

__all__ = ["Calibration", "RelationFeatures", "fit_logistic", "load_calibration"]

_DATA = "claim-calibration.json"


@dataclass(frozen=True, slots=True)
class RelationFeatures:
    """What a rule measured about one relation, the inputs of the confidence model.

    ``basis`` is how an explicit rejection found its target: ``content`` (its own words),
    ``speaker`` (a speaker it names: "ISIS is lying"), ``before`` (the claim just before
    it), ``inherited`` (the target of the rejection before it in the article),
    ``apposition`` ("…, a claim rejected by …"); ``frame`` for the frame rules. ``match`` is
    the share of the rejected statement's weight the target holds, or for frames the share
    of their words two claims have in common.
    """

    rule: str
    basis: str = "frame"
    match: float = 0.0
    hedged: int = 0  # sides with a hedge ("probably", "unconfirmed") or an expected frame
    pronoun: int = 0  # sides whose actor was a pronoun resolved to the latest named actor
    same_article: bool = False
    agentless: bool = False  # a rejection nobody is said to make ("the claims were rejected")
    shared_names: int = 0  # names the two claims have in common
    verbs: int = 0  # +1 the same verb of what happened on both sides, -1 different verbs, 0 one side has none
    fragment: bool = False  # one side is a fragment of at most three content words ("the complaints")

    def vector(self) -> dict[str, float]:
        """The model's inputs by name (one-hot rule and basis, the measures as numbers)."""
        return {
            f"rule={self.rule}": 1.0,
            f"basis={self.basis}": 1.0,
            "match": self.match,
            "hedged": float(self.hedged),
            "pronoun": float(self.pronoun),
            "same-article": float(self.same_article),
            "agentless": float(self.agentless),
            "shared-names": float(min(self.shared_names, 3)),
            "verbs-shared": float(self.verbs > 0),
            "verbs-differ": float(self.verbs < 0),
            "fragment": float(self.fragment),
        }


@dataclass(frozen=True)
class Calibration:
    """A fitted model: base confidences per rule, weights per feature, and where they came from."""

    base: Mapping[str, float]
    weights: Mapping[str, float] = field(default_factory=dict)
    fitted_on: str = "nothing: the rules' hand-set bases"

    def confidence(self, features: RelationFeatures) -> float:
        """The probability that a reader accepts the relation, rounded to two places."""
        z = _logit(self.base.get(features.rule, 0.5))
        z += sum(self.weights.get(name, 0.0) * value for name, value in features.vector().items())
        return round(1.0 / (1.0 + math.exp(-z)), 2)

    def to_json(self, **extra: object) -> str:
        return json.dumps({"fitted_on": self.fitted_on, "base": dict(self.base), "weights": dict(self.weights), **extra},
                          indent=1, sort_keys=True) + "\n"


@cache
def load_calibration() -> Calibration:
    """The packaged model (``kgraph/analyze/claim-calibration.json``)."""
    raw = json.loads(resources.files("kgraph.analyze").joinpath(_DATA).read_text(encoding="utf-8"))
    return Calibration(base=raw["base"], weights=raw.get("weights", {}), fitted_on=raw.get("fitted_on", ""))


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def fit_logistic(
    samples: Sequence[tuple[RelationFeatures, bool]],
    base: Mapping[str, float],
    *,
    l2: float = 1.0,
    iterations: int = 2000,
    step: float = 0.5,
) -> dict[str, float]:
    """Weights of the offset model by gradient descent on the L2-penalised log loss.

    Plain Python: the samples are a few hundred judged relations, and the fit must run
    where kgraph runs (no numpy or scikit-learn needed). ``l2`` pulls every weight
    towards 0, that is towards the rule's base.
    """
    rows = [(f.vector(), _logit(base.get(f.rule, 0.5)), 1.0 if accepted else 0.0) for f, accepted in samples]
    names = sorted({name for x, _, _ in rows for name in x})
    w = dict.fromkeys(names, 0.0)
    n = max(len(rows), 1)
    for _ in range(iterations):
        grad = dict.fromkeys(names, 0.0)
        for x, offset, y in rows:
            z = offset + sum(w[k] * v for k, v in x.items())
            p = 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))
            for k, v in x.items():
                grad[k] += (p - y) * v
        for k in names:
            w[k] -= step * (grad[k] / n + l2 * w[k] / n)
    return {k: round(v, 4) for k, v in w.items() if abs(v) >= 1e-4}
