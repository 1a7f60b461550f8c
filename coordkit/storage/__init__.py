"""Where the store lives, how it opens, how it changes and how it remembers."""
