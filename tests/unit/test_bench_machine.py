"""The machine sentence every benchmark section opens with."""

from __future__ import annotations

from bench.import_rate import Machine, reference_ms


def test_the_reference_workload_takes_a_positive_cpu_time():
    assert 0 < reference_ms() < 10_000


def test_a_section_gives_the_reference_workload_before_and_after_its_run():
    machine = Machine(cores=2, ram_gib=24, cpu="test CPU", python="3.11", reference_before=27.4)
    machine.reference_after = 41.6
    sentence = machine.describe()
    assert "Reference workload" in sentence
    assert "27 / 42 ms CPU before / after" in sentence


def test_finishing_a_run_takes_the_reference_again():
    machine = Machine(cores=2, ram_gib=24, cpu="test CPU", python="3.11")
    machine.finish()
    assert machine.reference_after > 0
