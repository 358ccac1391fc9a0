"""The parts of bench/load.py (the load test of `make serve`): the simulated people
(people.py), the server they use (server.py), and what is checked afterwards (checks.py)."""
