from nesa_cli.entry import main

main()
