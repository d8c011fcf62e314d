"""The transactional outbox: a job requested by a write is a row written with it.

See `services.py`: `enqueue` in the writing transaction, `dispatch` after its commit, `drain`
for what could not be handed to the queue (or whose worker died), `run` in the worker.
"""
