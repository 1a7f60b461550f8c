"""A shared resource named by key must be a registered one, and the refusal names the registered ones."""

from __future__ import annotations

from coordkit.domain.resources import unregistered


def test_a_registered_key_passes_and_any_other_names_the_registered_ones() -> None:
    assert unregistered("square", {"square", "room-2"}) is None
    assert unregistered("hall", {"square", "room-2"}) == "no resource 'hall'; registered resources: room-2, square"
    assert unregistered("squar", {"square", "room-2"}) == "no resource 'squar'; did you mean 'square'?"
    assert unregistered("square", set()) == (
        "no resource 'square': no shared resource is registered (coord resource add)"
    )
    assert unregistered("Square", {"square"}) == "no resource 'Square'; did you mean 'square'?"  # keys are exact
