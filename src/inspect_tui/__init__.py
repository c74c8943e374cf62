"""inspect-tui: on-site inspections of Party branches against published standards."""

__version__ = "0.1.0"
