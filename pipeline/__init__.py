"""storepipe: bulk purchase deletion and store-wide recomputation on DuckLake."""

__version__ = "0.1.0"
