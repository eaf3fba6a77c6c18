"""Reads of the planning cycle, one module per stage group (cycles, planning, monitoring)."""

from .cycles import cycle_list, situation_section_list

__all__ = ["cycle_list", "situation_section_list"]
