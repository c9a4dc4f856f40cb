"""``ropa diff``: what changed in the register between two git revisions, and what it means.

``git`` reads both sides into registers through the build's load and validate stages, ``compare``
finds the changes (``walk`` walks two values, lists matched by key) and gives each its code,
``report`` words them (``excerpt``: the changed words of a long text), ``meanings`` holds what
each code means (``schema/changes.yaml``), ``command`` is the CLI. ``--format docx``:
``changes_docx`` renders both sides with the DOCX format, ``redline`` and ``redline_rows`` mark
what differs as Word revisions, ``authors`` says which commit made each change.
"""
