"""Writes of the planning cycle, one module per stage group (cycles, planning, monitoring).

Import from the module (`mainstreaming.services.planning`); the names below are the cycle
services older callers import from the package.
"""

from .cycles import cycle_create, situation_section_create, situation_section_move

__all__ = ["cycle_create", "situation_section_create", "situation_section_move"]
