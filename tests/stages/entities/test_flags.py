"""Mistranslation detectors on hand-built mentions (no model)."""

from presslens.stages.entities.flags import is_known_spelling


def test_flags_known_spelling_accepts_full_and_partial_names() -> None:
    known = ["Volodymyr Zelensky", "Zelenskyy"]
    assert is_known_spelling("Zelensky", known)
    assert is_known_spelling("Volodymyr Zelensky", known)
    assert not is_known_spelling("Zilenski", known)
