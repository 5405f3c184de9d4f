"""Defaults shared by several lattice entry points (one definition each)."""

__all__ = ["DEFAULT_ETA"]

#: Broadening width eta (units of t) of every broadened observable when none is
#: given: the Lorentzian half width of the Kubo delta (sigma), the imaginary part
#: of the frequency (chi), the DOS kernel width. docs/conventions.md section 9.
DEFAULT_ETA = 0.02
