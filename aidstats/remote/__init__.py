"""The remote wing: packages that come from elsewhere.

What lives here
    ``fetch``  ``aidstats.download()`` and ``aidstats download``: fetch a package (its ``datapackage.json`` or a
               release ``.zip``), verify it against its hashes, cache it per URL, leave nothing behind on failure
    ``diff``   ``aidstats diff``: what changed between two packages, table by table and row by row

What to edit
    A new URL scheme: ``fetch``.  A new kind of local source: ``aidstats.loader.package_root`` and
    ``aidstats.package.locate``, which every command and function that takes a package asks.
    Nothing here changes for a new table.

Hashing, reading the descriptor and verifying files live in ``aidstats.package``; this wing adds only the network.
"""
