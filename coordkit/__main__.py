from coordkit.cli import main

main()
