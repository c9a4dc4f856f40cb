"""Stage 4: render the validated register into every requested format, into the staging folder.

Each format is one module behind one seam (:mod:`ropa_build.render.format`), named in
:data:`FORMATS` here; adding a format is one new module and one line there. The runner
(:mod:`ropa_build.render.runner`) is shared by every format, so none of them sees how the work is
done:

1. each activity's view is made once, and each format's piece of it (and the files the activity
   has of its own) — in worker processes (:mod:`ropa_build.parallel`), and only where the cache
   (:mod:`ropa_build.cache`) has no entry for that format, activity and input;
2. the pieces go to disk as they are made (:mod:`ropa_build.render.spill`), so memory holds only
   the activities' heads, whatever the size of the register;
3. each format assembles its register-wide files from the pieces, streamed, the formats side by
   side.

Nothing here touches the output: files go into the write stage's staging folder, which becomes
the output only when everything is rendered, so an error in the last format cannot leave the
first one half-updated.
"""

from __future__ import annotations

#: Every output format: its name (``--format``) and the class that makes it, as "module:Class".
FORMATS = {
    "docx": "ropa_build.render.docx:Docx",
    "md": "ropa_build.render.markdown:Markdown",
    "html": "ropa_build.render.html:Html",
    "xlsx": "ropa_build.render.xlsx:Xlsx",
    "csv": "ropa_build.render.csv_export:Csv",
    "json": "ropa_build.render.json_export:Json",
    "pdf": "ropa_build.render.pdf:Pdf",
}

#: What ``ropa build`` writes unless ``--format`` says otherwise: the documents a DPO and a
#: reviewer read, made with nothing besides Python. The exports (spreadsheets, data) and the PDF
#: (it needs LibreOffice) are made when asked for.
DOCUMENTS = ("docx", "md", "html")
