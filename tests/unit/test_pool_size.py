"""The scan pool grows with the hosts asked, within the configured ceiling."""

from __future__ import annotations

from exposure.checkers.base import Task, TaskResult
from exposure.config import Config
from exposure.engine.scan import pool_size


def tasks(hosts: int, per_host: int = 2) -> list[Task]:
    return [
        Task("sites", f"s{h}", TaskResult, host=f"h{h}.example")
        for h in range(hosts)
        for _ in range(per_host)
    ]


def test_a_small_scan_uses_no_more_threads_than_tasks() -> None:
    assert pool_size(tasks(3), Config()) == 6


def test_the_configured_concurrency_is_the_floor() -> None:
    assert pool_size(tasks(100), Config(concurrency=256)) == 200  # only 200 tasks
    assert pool_size(tasks(200), Config(concurrency=256)) == 400  # 200 hosts x 2 each


def test_thousands_of_hosts_grow_the_pool_up_to_the_ceiling() -> None:
    assert pool_size(tasks(3000), Config(concurrency=256, max_concurrency=1024)) == 1024
    assert pool_size(tasks(3000), Config(concurrency=256, max_concurrency=100)) == 256


def test_tasks_without_a_host_keep_the_configured_size() -> None:
    many = [Task("x", f"s{i}", TaskResult) for i in range(5000)]
    assert pool_size(many, Config(concurrency=64)) == 64
