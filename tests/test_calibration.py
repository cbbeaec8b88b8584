"""The confidence model of claim relations: the packaged fit, and the fitter recovering known rates."""

from __future__ import annotations

import json
from dataclasses import replace
from importlib import resources

import pytest

from kgraph.analyze.calibration import Calibration, RelationFeatures, fit_logistic, load_calibration
from kgraph.rdf.vocab import CLAIM_RULES

BASES = ("content", "speaker", "before", "inherited", "apposition", "frame")


def test_the_packaged_model_covers_every_rule_and_names_only_known_features() -> None:
    model = load_calibration()
    assert set(model.base) == set(CLAIM_RULES)
    known = {name for rule in CLAIM_RULES for basis in BASES for name in RelationFeatures(rule, basis).vector()}
    assert set(model.weights) <= known, set(model.weights) - known
    raw = json.loads(resources.files("kgraph.analyze").joinpath("claim-calibration.json").read_text(encoding="utf-8"))
    assert raw["fitted_on"]  # says what it was fitted on


def test_the_packaged_model_lowers_what_readers_signed_less_often() -> None:
    # The judged sample: hedged sides, actors guessed from a pronoun, pairs inside one article, fragments ("the
    # complaints") and pairs whose verbs differ were accepted less often, two shared names more often. A refit that says otherwise must be read before it ships.
    model = load_calibration()
    plain = RelationFeatures("polarity", match=0.3, shared_names=1)
    for worse in ({"hedged": 1}, {"pronoun": 1}, {"same_article": True}, {"fragment": True}, {"verbs": -1}):
        assert model.confidence(replace(plain, **worse)) < model.confidence(plain), worse
    assert model.confidence(RelationFeatures("polarity", match=0.3, shared_names=2)) > model.confidence(plain)


@pytest.mark.parametrize("rule", sorted(CLAIM_RULES))
def test_confidences_are_probabilities(rule: str) -> None:
    model = load_calibration()
    for basis in BASES:
        for match in (0.0, 0.5, 1.0):
            c = model.confidence(RelationFeatures(rule, basis, match=match, hedged=2, same_article=True))
            assert 0.0 <= c <= 1.0


def test_the_fit_recovers_the_rates_a_reader_gave() -> None:
    # 8 in 10 content-matched rejections accepted, 3 in 10 speaker-matched: the fitted confidences say so
    content = RelationFeatures("explicit-rejection", "content", match=0.8)
    speaker = RelationFeatures("explicit-rejection", "speaker", match=0.3)
    samples = [(content, i < 8) for i in range(10)] * 5 + [(speaker, i < 3) for i in range(10)] * 5
    base = {"explicit-rejection": 0.9}
    model = Calibration(base=base, weights=fit_logistic(samples, base, l2=0.01, iterations=4000))
    assert model.confidence(content) == pytest.approx(0.8, abs=0.03)
    assert model.confidence(speaker) == pytest.approx(0.3, abs=0.03)


def test_shrinkage_keeps_an_unjudged_rule_at_its_base() -> None:
    samples = [(RelationFeatures("polarity"), i < 5) for i in range(10)]
    base = {"polarity": 0.5, "quantity": 0.75}
    model = Calibration(base=base, weights=fit_logistic(samples, base, l2=1.0))
    assert model.confidence(RelationFeatures("quantity", "frame")) == pytest.approx(0.75, abs=0.05)
