"""How much data the benchmark builds: importable without Django (``benchmarks.run`` needs it
before any settings exist)."""

from dataclasses import asdict, dataclass

SEED = 20200720
# Bump when the generator changes what it writes: `make bench` then builds its data again.
VERSION = 1


@dataclass(frozen=True)
class Sizes:
    """How much of each: issue #8's figures by default."""

    posts: int = 100_000
    categories: int = 8
    branches: int = 60
    members: int = 20_000
    aid_records: int = 200_000
    support_requests: int = 5_000
    campaigns: int = 50
    contributions: int = 20_000

    def scaled(self, factor):
        """These sizes times ``factor``; at least one of each, and a tree with every level."""
        if factor == 1:
            return self
        return Sizes(
            posts=max(1, round(self.posts * factor)),
            categories=self.categories,
            branches=max(6, round(self.branches * factor)),
            members=max(10, round(self.members * factor)),
            aid_records=max(1, round(self.aid_records * factor)),
            support_requests=max(1, round(self.support_requests * factor)),
            campaigns=max(1, round(self.campaigns * factor)),
            contributions=max(1, round(self.contributions * factor)),
        )

    def as_dict(self):
        return asdict(self)


FULL = Sizes()
TINY = FULL.scaled(0.001)
