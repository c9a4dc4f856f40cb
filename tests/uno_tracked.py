"""Run by the system python3 (Debian's python3-uno), not the project's: LibreOffice's own view
of a document with tracked changes.

``python3 tests/uno_tracked.py PROFILE_DIR DOCX...`` starts a headless soffice listening on a
pipe, and for each DOCX prints one JSON line: the tracked changes LibreOffice lists (their
authors and count), and every table's cell texts as they are, after accepting all changes, and
after rejecting all changes (LibreOffice's own Accept All / Reject All commands).
"""

import json
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def _prop(name, value):
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _tables(doc):
    out = []
    tables = doc.TextTables
    for i in range(tables.Count):
        table = tables.getByIndex(i)
        out.append([table.getCellByName(n).String for n in table.CellNames])
    return out


def _redlines(doc):
    found = []
    enum = doc.Redlines.createEnumeration()
    while enum.hasMoreElements():
        redline = enum.nextElement()
        found.append([redline.RedlineAuthor, redline.RedlineType])
    return found


def main(profile, paths):
    pipe = f"ropa-uno-{os.getpid()}"
    soffice = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            f"--accept=pipe,name={pipe};urp;",
        ]
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        for _ in range(240):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.25)
        else:
            raise SystemExit("soffice did not answer on its pipe")
        smgr = ctx.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        for path in paths:
            result = {"path": path}
            for mode, command in (
                ("shown", None),
                ("accepted", ".uno:AcceptAllTrackedChanges"),
                ("rejected", ".uno:RejectAllTrackedChanges"),
            ):
                url = uno.systemPathToFileUrl(os.path.abspath(path))
                doc = desktop.loadComponentFromURL(url, "_blank", 0, (_prop("Hidden", True),))
                if command is None:
                    result["redlines"] = _redlines(doc)
                else:
                    dispatcher.executeDispatch(doc.CurrentController.Frame, command, "", 0, ())
                result[mode] = _tables(doc)
                doc.close(True)
            print(json.dumps(result, ensure_ascii=False), flush=True)
        desktop.terminate()
    finally:
        try:
            soffice.wait(timeout=30)
        except subprocess.TimeoutExpired:
            soffice.kill()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
