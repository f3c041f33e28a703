"""make_report keeps the rows it has read out of the cyclic garbage collector, and puts them back after."""

from __future__ import annotations

import gc

from survey.services.reporting import rows_out_of_gc


def test_rows_are_frozen_while_the_report_is_made_and_unfrozen_after() -> None:
    assert gc.get_freeze_count() == 0
    rows = [{"id": i, "answers": {"q": [str(i)]}} for i in range(1000)]
    with rows_out_of_gc() as settle:
        settle()
        assert gc.get_freeze_count() >= len(rows)
    assert gc.get_freeze_count() == 0


def test_a_process_that_froze_objects_itself_is_left_alone() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with rows_out_of_gc() as settle:
            settle()
        # not unfrozen by the report (unfreezing empties the permanent generation; a few frozen objects may
        # die meanwhile, so the count is not compared exactly)
        assert gc.get_freeze_count() > frozen // 2 > 0
    finally:
        gc.unfreeze()


def test_an_error_unfreezes() -> None:
    try:
        with rows_out_of_gc() as settle:
            settle()
            raise RuntimeError("report failed")
    except RuntimeError:
        pass
    assert gc.get_freeze_count() == 0
