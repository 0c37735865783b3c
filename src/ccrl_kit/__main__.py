from ccrl_kit.cli import main

main()
