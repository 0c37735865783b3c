from ccrl_kit.cli import run

run()
