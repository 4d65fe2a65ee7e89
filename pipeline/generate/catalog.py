"""The synthetic product catalog: categories, brands, prices, popularity, relations."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from pipeline.generate.arrow import decimal_array, id_array, label_array
from pipeline.generate.sampling import WeightedSampler

CATEGORIES = [
    "Home/Kitchen",
    "Home/Garden",
    "Home/Lighting",
    "Pc/Keyboards",
    "Pc/Monitors",
    "Pc/Storage",
    "Fashion/Shoes",
    "Fashion/Bags",
    "Fashion/Accessories",
    "Toys/Puzzles",
    "Toys/Outdoor",
    "Books/Fiction",
    "Books/Cooking",
    "Sports/Running",
    "Sports/Cycling",
    "Beauty/Skincare",
]
BRANDS = [
    "Alder",
    "Brightwell",
    "Copperleaf",
    "Dunmore",
    "Everfield",
    "Fenwick",
    "Greystone",
    "Harlow",
    "Ironbark",
    "Juniper",
    "Kestrel",
    "Larkspur",
]
# Non-merchandise products, never ranked as best sellers, with prices in currency
# units. Standard shipping is free above FREE_SHIPPING_ABOVE of merchandise.
SHIPPING_PRODUCTS = [
    ("SHIP-STD", "Standard shipping", 4.95),
    ("SHIP-EXP", "Express shipping", 9.95),
]
FREE_SHIPPING_ABOVE = 50.0
# Zipf exponent of product popularity: the product of rank k sells about k**-1.1
# times as much as the best seller.
POPULARITY_EXPONENT = 1.1
MAX_RELATED = 40


@dataclass
class Catalog:
    """The products table and per product arrays, indexed by product number.

    Numbers below `size` are merchandise; the shipping products follow them.
    """

    popularity: npt.NDArray[np.float64]
    unit_prices: npt.NDArray[np.int64]
    shipping_prices: npt.NDArray[np.int64]
    products: pa.Table

    @property
    def size(self) -> int:
        return len(self.unit_prices)

    @functools.cached_property
    def product_sampler(self) -> WeightedSampler:
        """Sampler of merchandise product numbers by popularity."""
        return WeightedSampler(self.popularity)

    @property
    def product_ids(self) -> pa.Array:
        return self.products.column("product_id").combine_chunks()


def build_catalog(rng: np.random.Generator, count: int, amount_scale: int) -> Catalog:
    """Draw `count` merchandise products and append the shipping products.

    Products are numbered in category order, so neighbours share a category.
    Popularity follows a Zipf law over a random order of the products. Unit prices
    are log-normal (median 18 currency units, a long tail up to a few thousand).
    """
    unit = 10**amount_scale
    category = np.sort(rng.integers(0, len(CATEGORIES), count))
    brand = rng.integers(0, len(BRANDS), count)
    prices = np.maximum(rng.lognormal(np.log(18.0), 0.9, count), 0.5)
    unit_prices = np.round(prices * unit).astype(np.int64)

    ranks = rng.permutation(count) + 1
    weights = ranks.astype(np.float64) ** -POPULARITY_EXPONENT
    popularity = weights / weights.sum()

    numbers = np.arange(1, count + 1, dtype=np.int64)
    shipping_prices = np.array(
        [round(price * unit) for _, _, price in SHIPPING_PRODUCTS], dtype=np.int64
    )
    category_lists = pa.array(
        [[path] for path in CATEGORIES] + [None], pa.list_(pa.string())
    )
    merchandise = pa.table(
        {
            "product_id": id_array("SKU", numbers, 6),
            "name": _product_names(category, numbers),
            "brand": label_array(brand, BRANDS).cast(pa.string()),
            "categories": category_lists.take(pa.array(category)),
            "unit_price": decimal_array(unit_prices, amount_scale),
            "non_merchandise": pa.array(np.zeros(count, dtype=bool)),
        }
    )
    shipping = pa.table(
        {
            "product_id": [product_id for product_id, _, _ in SHIPPING_PRODUCTS],
            "name": [name for _, name, _ in SHIPPING_PRODUCTS],
            "brand": pa.nulls(len(SHIPPING_PRODUCTS), pa.string()),
            "categories": pa.nulls(len(SHIPPING_PRODUCTS), pa.list_(pa.string())),
            "unit_price": decimal_array(shipping_prices, amount_scale),
            "non_merchandise": [True] * len(SHIPPING_PRODUCTS),
        },
        schema=merchandise.schema,
    )
    products = pa.concat_tables([merchandise, shipping])
    return Catalog(popularity, unit_prices, shipping_prices, products)


def _product_names(
    category: npt.NDArray[np.int64], numbers: npt.NDArray[np.int64]
) -> pa.Array:
    leaf_names = [path.split("/")[-1] for path in CATEGORIES]
    leaves = label_array(category, leaf_names).cast(pa.string())
    return pa.compute.binary_join_element_wise(
        leaves, pa.array(numbers).cast(pa.string()), " item "
    )


def build_related_products(rng: np.random.Generator, catalog: Catalog) -> pa.Table:
    """Relate each merchandise product to up to 40 products near it in the catalog.

    Neighbours in product order mostly share a category, which is what co-purchase
    relations of a real store look like. Popular products get more relations.
    Scores fall from 1 with each relation's rank.
    """
    count = catalog.size
    window = min(count - 1, 3 * MAX_RELATED)
    if window < 1:
        return _empty_related()
    share = catalog.popularity / catalog.popularity.max()
    relation_counts = np.minimum(
        np.minimum(MAX_RELATED, window),
        rng.poisson(4 + 30 * np.sqrt(share)),
    )

    # Draw more offsets than needed, drop repeats in each row and keep the first ones.
    draws = MAX_RELATED + 20
    offsets = rng.integers(1, window + 1, size=(count, draws))
    offsets.sort(axis=1)
    unique = np.ones_like(offsets, dtype=bool)
    unique[:, 1:] = offsets[:, 1:] != offsets[:, :-1]
    rank = np.cumsum(unique, axis=1)
    keep = unique & (rank <= relation_counts[:, None])

    rows, columns = np.nonzero(keep)
    related = (rows + offsets[rows, columns]) % count
    scores = np.round(
        1.0 / rank[rows, columns] ** 0.5 * rng.uniform(0.8, 1.0, len(rows)), 4
    )
    ids = catalog.product_ids
    return pa.table(
        {
            "product_id": ids.take(pa.array(rows)),
            "related_product_id": ids.take(pa.array(related)),
            "score": pa.array(scores),
        }
    )


def _empty_related() -> pa.Table:
    return pa.table(
        {
            "product_id": pa.array([], pa.string()),
            "related_product_id": pa.array([], pa.string()),
            "score": pa.array([], pa.float64()),
        }
    )
