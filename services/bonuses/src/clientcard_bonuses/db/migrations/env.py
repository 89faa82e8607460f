from clientcard_kit.db.migrations import run_env

run_env()
