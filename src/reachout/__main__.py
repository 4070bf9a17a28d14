from reachout.cli import main

main()
