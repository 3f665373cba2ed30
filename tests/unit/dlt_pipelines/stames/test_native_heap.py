from dlt_pipelines.stames.native_heap import bound_native_heap


class RecordingLibc:
    """Stands in for glibc: records each `mallopt` call and answers as glibc does (1 = applied)."""

    def __init__(self, answer: int = 1) -> None:
        self.calls: list[tuple[int, int]] = []
        self.answer = answer

    def mallopt(self, param: int, value: int) -> int:
        self.calls.append((param, value))
        return self.answer


def test_sets_a_fixed_mmap_threshold_and_two_arenas_by_their_malloc_h_numbers() -> None:
    libc = RecordingLibc()

    assert bound_native_heap(libc) is True
    # <malloc.h>: M_MMAP_THRESHOLD is -3, M_ARENA_MAX is -8.
    assert libc.calls == [(-3, 131072), (-8, 2)]


def test_a_libc_that_refuses_reports_it() -> None:
    assert bound_native_heap(RecordingLibc(answer=0)) is False
