"""The performance benchmark (`make bench`, written up in ``docs/benchmarks.md``).

- ``datagen``: a deterministic generator of the portal at scale (posts, the union tree, members,
  aid, requests, campaigns), bulk-inserted; the tests run it at a tiny size (``sizes.TINY``).
- ``run``: ``make bench`` itself: database, data, gunicorn, wrk, targets, write-up.
- ``load``: gunicorn and wrk, without Django; ``report.lua`` is the wrk script.
- ``probe``: the Django side, run in a subprocess with the server's settings (build the data,
  choose the addresses and sign an officer in, count queries, time the review, profile).
- ``targets`` and ``writeup``: issue #8's targets checked, and the Markdown page; ``notes.md`` is
  the hand-written reading of the profiles that the page includes.
- ``settings``, ``urls``, ``views``: the production settings plus one trivial baseline view
  (``/bench/baseline/``), so the portal's own URLs and settings stay untouched.
"""
