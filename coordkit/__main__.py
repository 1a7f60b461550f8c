from coordkit.cli import main

if __name__ == "__main__":  # a worker process (coordkit.background) imports this module without running coord
    main()
