"""`make serve`: todochat in production (README, "Production"); the launcher is __main__.py."""
