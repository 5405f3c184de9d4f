"""Fits of the numerics and their comparison with the self-consistent theory."""

__all__: list[str] = []
