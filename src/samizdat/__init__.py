"""samizdat: self-hosted publishing for essays and their discussion."""

__version__ = "0.1.0"
