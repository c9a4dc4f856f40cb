"""``ropa import``: registers in Word (Datatilsynet's template) or in a spreadsheet (the ICO's
layout), read into YAML records.

Word, three stages: :mod:`.grid` reads a .docx safely into paragraphs and table grids,
:mod:`.mapping` (with :mod:`.build`, :mod:`.fields` and the readers of what the build writes
beyond the template: :mod:`.states`, :mod:`.extras`, :mod:`.basis`, :mod:`.groups`,
:mod:`.controllers`, :mod:`.about`) recognises the rows by their labels and assembles records.
Spreadsheets: :mod:`.sheet` reads an .xlsx or .csv safely into rows of text, :mod:`.columns`
finds the profile and the header row, :mod:`.ico` (with :mod:`.cell_text`) makes the records.
Both end in :mod:`.write`, which writes the register and the import report; :mod:`.run` is the
one entry point.
"""
