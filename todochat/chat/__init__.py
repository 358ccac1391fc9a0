"""The assistant: a self-hosted ChatKit server, its store, agent, tools, widgets and models."""
