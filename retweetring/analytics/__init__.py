"""Analytics on the support graph: pure functions from a ``networkx.DiGraph`` to plain data.

The support graph has one node per account (optional attributes ``username`` and
``name``) and an edge ``X->Y`` when X supports Y, with ``weight`` the number of distinct
promotional tweets of Y that X retweeted (a missing weight counts as 1). Results are
ordered deterministically: ties are broken by label (``username``, else ``str(node)``).

Importing the package does not import networkx: a function given a graph uses the networkx
the caller already has, and :mod:`retweetring.analytics.weights` works on arrays read from SQL
(numpy, igraph), so ``report`` and ``introductions`` start without networkx.

One family needs no graph: :func:`posting_balance` takes each account's counts of original and
promotional tweets (the data first, as everywhere, then the options). It lives in
:mod:`retweetring.posting`, outside this package; it is re-exported here.
"""

from retweetring.posting import PostingBalance, PostingBalances, posting_balance

from .balance import Balance, support_balance
from .communities import communities, community_of
from .connectors import top_connectors
from .introductions import Introduction, introductions
from .mutual import MutualPair, mutual_graph, mutual_pairs, reciprocity
from .one_sided import OneSided, one_sided

__all__ = [
    "Balance",
    "Introduction",
    "MutualPair",
    "OneSided",
    "PostingBalance",
    "PostingBalances",
    "communities",
    "community_of",
    "introductions",
    "mutual_graph",
    "mutual_pairs",
    "one_sided",
    "posting_balance",
    "reciprocity",
    "support_balance",
    "top_connectors",
]
