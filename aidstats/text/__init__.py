"""Text helpers every wing shares: reading printed numbers, writing numbers, the paper's markup.

What lives here
    ``printed``   reads a number as the paper prints it ("1.5 million", "two", "8,443") and its decimals
    ``numbers``   writes a value for a reader (separators, units, decimals) — the one number formatter
    ``passages``  the paper's footnote markup: footnote marks, footnote texts, rendering to HTML
    ``citation``  one line naming a register row as the paper cites it

What to edit
    A new way the paper prints numbers: ``printed``.  A new unit: ``raw/units.csv`` (its symbol is read from there).
    These modules import only the standard library and pandas; they know nothing of files or packages.
"""
