"""Collectors: the only engine code that talks to the network."""
