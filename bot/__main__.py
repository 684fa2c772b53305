"""`python -m bot …` runs the catbot command line."""

from bot.cli import main

main()
