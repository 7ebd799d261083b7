from samizdat.cli import main

main()
