"""Events and stances on short texts we wrote (needs the trained pipeline)."""

import pytest

pytestmark = pytest.mark.model


def named(a, entity_id):  # type: ignore[no-untyped-def]
    ent = a.entity(entity_id)
    return ent.name if ent else None


def test_events_actor_action_target_from_one_clause(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("Russia accused Ukraine of shelling the plant. Jake Sullivan paid a secret visit to "
            "Kyiv in November. Joe Biden would not impose sanctions on India.")
    a = pipeline.analyze(text, published="2022-11-21")
    got = {(e.type, named(a, e.actor), named(a, e.target)) for e in a.events}
    assert ("ACCUSE", "Russia", "Ukraine") in got
    assert ("CONSULT", "Jake Sullivan", "Kyiv") in got
    sanction = next(e for e in a.events if e.type == "SANCTION")
    assert sanction.negated and sanction.modality == "would"


def test_events_never_from_co_occurrence(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = "After the attack, Russia and Ukraine were mentioned in the report on the weather."
    a = pipeline.analyze(text)
    assert all(not (e.actor and e.target) for e in a.events)


def test_stances_support_oppose_and_conditional(pipeline) -> None:  # type: ignore[no-untyped-def]
    text = ("Volodymyr Zelensky said that he was open to negotiations, but only if Russia "
            "withdrew. Valerii Zaluzhnyi rejected any negotiations with Moscow. The Biden "
            "administration hopes that Ukraine can accept negotiations soon.")
    a = pipeline.analyze(text)
    got = {(named(a, s.holder), s.issue, s.polarity) for s in a.stances}
    assert ("Volodymyr Zelensky", "negotiations", "conditional") in got
    assert ("Valerii Zaluzhnyi", "negotiations", "oppose") in got
    assert ("Biden administration", "negotiations", "support") in got
