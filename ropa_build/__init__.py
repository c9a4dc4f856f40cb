"""ropa-build: a GDPR Art. 30 register of processing activities kept as code.

The pipeline (see :mod:`ropa_build.pipeline`) is load → validate → check → render → write,
one module per stage.
"""

__version__ = "0.1.0"
