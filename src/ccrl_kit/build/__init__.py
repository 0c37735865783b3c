"""Stage 6 and the driver: tasks, the cache, the process pool, staged atomic writes."""
