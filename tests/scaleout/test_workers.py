"""Job workers on any number of machines: they share the Redis queue, and each periodic job is
queued once per due minute however many workers' schedulers find it due. (Jobs that writes
ask for run once by the outbox's lease: tests/outbox; `make drill` runs two workers.)"""

import datetime

from huey import crontab

from sixclear.outbox.queue import RedisHuey


def morning_digest():
    return "sent"


def worker(url, prefix):
    """One machine's Huey: its own connection, the shared queue, the jobs registered."""
    huey = RedisHuey(prefix, url=url)
    huey.digest = huey.periodic_task(crontab(hour="7", minute="30"))(morning_digest)
    return huey


def test_each_periodic_job_is_queued_once_whatever_the_number_of_workers(redis_url):
    url, prefix = redis_url
    workers = [worker(url, prefix) for _ in range(3)]
    at_7_30 = datetime.datetime(2026, 12, 7, 7, 30, 0)
    due = [huey.read_periodic(at_7_30 + datetime.timedelta(seconds=n))
           for n, huey in enumerate(workers)]
    assert sorted(len(tasks) for tasks in due) == [0, 0, 1]
    assert all(huey.read_periodic(at_7_30) == [] for huey in workers)  # a late scheduler too
    assert [huey.read_periodic(at_7_30.replace(minute=31)) for huey in workers] == [[]] * 3
    next_day = [huey.read_periodic(at_7_30 + datetime.timedelta(days=1)) for huey in workers]
    assert sorted(len(tasks) for tasks in next_day) == [0, 0, 1]


def test_with_the_queue_out_of_reach_a_scheduler_queues_nothing_and_goes_on():
    huey = worker("redis://127.0.0.1:9/0?socket_connect_timeout=1", "sixclear-unreachable")
    assert huey.read_periodic(datetime.datetime(2026, 12, 7, 7, 30)) == []


def test_workers_share_one_queue(redis_url):
    url, prefix = redis_url
    one, other = worker(url, prefix), worker(url, prefix)
    one.enqueue(one.digest.s())
    assert other.pending_count() == 1
    assert other.dequeue() is not None and one.pending_count() == 0
