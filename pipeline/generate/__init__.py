"""Synthetic stores at any scale, deterministic for a seed.

Contacts buy as a Pareto/NBD-style process, products sell with Zipf-like popularity,
and rows are written with the import's content hash and internal id rule.
"""

from pipeline.generate.run import GenerateResult, generate_chunks, generate_store
from pipeline.generate.spec import REFERENCE_TIME, GeneratorSpec

__all__ = [
    "REFERENCE_TIME",
    "GenerateResult",
    "GeneratorSpec",
    "generate_chunks",
    "generate_store",
]
