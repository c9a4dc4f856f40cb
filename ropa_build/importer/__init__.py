"""``ropa import``: registers written in Datatilsynet's Word template, read into YAML records.

Three stages, one module each: :mod:`.grid` reads a .docx safely into paragraphs and table grids,
:mod:`.mapping` (with :mod:`.build` and :mod:`.fields`) recognises the rows by their labels and
assembles records, :mod:`.write` writes the register and the import report.
"""
