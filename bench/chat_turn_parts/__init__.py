"""The parts of bench/chat_turn.py: the floor server (floor.py), the clients that time
turns (clients.py), and the reading of a py-spy profile (profile.py)."""
