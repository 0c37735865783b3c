"""Stage 6, build: tasks run in worker processes, the build cache, staging, progress."""
