"""``ropa diff``: what changed in the register between two git revisions, and what it means.

``git`` reads both sides into registers, ``compare`` finds the changes, ``report`` words them,
``meanings`` holds what each change code means (``schema/changes.yaml``).
"""
