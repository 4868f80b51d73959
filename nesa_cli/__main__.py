from nesa_cli.cli import main

main()
