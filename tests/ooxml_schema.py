"""Every XML part of a DOCX validated against the ECMA-376 transitional schemas.

Word refuses (or "repairs") a part that breaks its schema — an element out of order, a required
attribute missing — where LibreOffice opens it without a word, so a LibreOffice round trip
cannot stand in for this check. The schemas are in tests/data/ooxml-xsd/ (README there says
where they come from).

Before validating, markup-compatibility content is removed as ECMA-376 Part 3 tells a consumer
that understands only the namespaces these schemas define:

- ``mc:AlternateContent`` is replaced by the content of its first ``mc:Choice`` whose
  ``Requires`` namespaces are all understood, else by its ``mc:Fallback``, else by nothing;
- elements and attributes in a namespace listed in an in-scope ``mc:Ignorable`` are removed
  (an element named in ``mc:ProcessContent`` is replaced by its children instead);
- a namespace in ``mc:MustUnderstand`` that is not understood is itself a problem;
- the ``mc:`` attributes are removed.

An element in a namespace that is neither understood nor ignorable stays, and the schema
reports it — just as Word would refuse it.
"""

from __future__ import annotations

import functools
import os
import zipfile
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).resolve().parent / "data" / "ooxml-xsd"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
XML_NS = "http://www.w3.org/XML/1998/namespace"

#: The schemas opc-coreProperties.xsd imports by URL, served from local stand-ins.
_BY_URL = {
    "http://dublincore.org/schemas/xmls/qdc/2003/04/02/dc.xsd": "dublin-core/dc.xsd",
    "http://dublincore.org/schemas/xmls/qdc/2003/04/02/dcterms.xsd": "dublin-core/dcterms.xsd",
}

#: The schema files a DOCX's parts may need; each is imported by one wrapper schema, so one
#: XMLSchema validates any part by its root element. xml.xsd comes first: wml.xsd imports the
#: xml namespace without a location and libxml2 reuses the one already loaded.
_ROOTS = (
    "xml.xsd",
    "wml.xsd",
    "dml-main.xsd",
    "shared-bibliography.xsd",
    "shared-customXmlDataProperties.xsd",
    "shared-documentPropertiesExtended.xsd",
    "shared-documentPropertiesCustom.xsd",
    "opc-xsd/opc-contentTypes.xsd",
    "opc-xsd/opc-relationships.xsd",
    "opc-xsd/opc-coreProperties.xsd",
)


class _Local(etree.Resolver):
    def resolve(self, url, pubid, context):
        if url in _BY_URL:
            return self.resolve_filename(str(SCHEMAS / _BY_URL[url]), context)
        return None


@functools.cache
def _schema() -> tuple[etree.XMLSchema, frozenset[str]]:
    """The wrapper schema, and the namespaces it understands (every target namespace loaded)."""
    understood: set[str] = set()
    for path in SCHEMAS.rglob("*.xsd"):
        target = etree.parse(str(path)).getroot().get("targetNamespace")
        if target:
            understood.add(target)
    imports = []
    for name in _ROOTS:
        namespace = etree.parse(str(SCHEMAS / name)).getroot().get("targetNamespace")
        imports.append(f'<xs:import namespace="{namespace}" schemaLocation="{name}"/>')
    wrapper = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'targetNamespace="urn:ropa-build:tests:ooxml-all">' + "".join(imports) + "</xs:schema>"
    )
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Local())
    tree = etree.fromstring(wrapper.encode(), parser, base_url=str(SCHEMAS) + os.sep).getroottree()
    return etree.XMLSchema(tree), frozenset(understood)


def _prefixes(element: etree._Element, value: str | None) -> set[str]:
    """The namespaces a space-separated list of prefixes names, as declared on ``element``."""
    return {
        element.nsmap.get(prefix, f"undeclared prefix {prefix}") for prefix in (value or "").split()
    }


def _process_content(element: etree._Element, value: str | None) -> set[str]:
    """``mc:ProcessContent`` entries (``prefix:local``, ``prefix:*``) as Clark names / wildcards."""
    names = set()
    for entry in (value or "").split():
        prefix, _, local = entry.partition(":")
        names.add(f"{{{element.nsmap.get(prefix, '')}}}{local}")
    return names


def _preprocess(
    element: etree._Element,
    understood: frozenset[str],
    ignorable: frozenset[str],
    process: frozenset[str],
    problems: list[str],
) -> None:
    """Apply markup compatibility to ``element``'s subtree in place (see the module docstring)."""
    ignorable = ignorable | (_prefixes(element, element.get(f"{{{MC}}}Ignorable")) - understood)
    process = process | _process_content(element, element.get(f"{{{MC}}}ProcessContent"))
    for namespace in _prefixes(element, element.get(f"{{{MC}}}MustUnderstand")) - understood:
        problems.append(f"line {element.sourceline}: must understand {namespace}")
    for name in list(element.attrib):
        namespace = etree.QName(name).namespace
        if namespace == MC or namespace in ignorable:
            del element.attrib[name]
    for child in list(element):
        if not isinstance(child.tag, str):  # comments, processing instructions
            continue
        qname = etree.QName(child)
        if child.tag == f"{{{MC}}}AlternateContent":
            _replace(child, _chosen(child, understood))
        elif qname.namespace in ignorable:
            if child.tag in process or f"{{{qname.namespace}}}*" in process:
                _replace(child, list(child))
            else:
                element.remove(child)
    for child in element:
        if isinstance(child.tag, str):
            _preprocess(child, understood, ignorable, process, problems)


def _chosen(alternate: etree._Element, understood: frozenset[str]) -> list[etree._Element]:
    for branch in alternate:
        if branch.tag == f"{{{MC}}}Choice":
            if _prefixes(branch, branch.get("Requires")) <= understood:
                return list(branch)
        elif branch.tag == f"{{{MC}}}Fallback":
            return list(branch)
    return []


def _replace(element: etree._Element, replacement: list[etree._Element]) -> None:
    """Put ``replacement`` where ``element`` was (the children are then preprocessed in turn)."""
    parent = element.getparent()
    index = parent.index(element)
    parent.remove(element)
    for offset, new in enumerate(replacement):
        parent.insert(index + offset, new)


def docx_schema_problems(docx: str | os.PathLike[str]) -> list[str]:
    """``part:line: message`` for every schema violation in every XML part of ``docx``."""
    schema, understood = _schema()
    problems: list[str] = []
    with zipfile.ZipFile(docx) as package:
        for name in package.namelist():
            if not (name.endswith(".xml") or name.endswith(".rels")):
                continue
            try:
                root = etree.fromstring(package.read(name), etree.XMLParser(resolve_entities=False))
            except etree.XMLSyntaxError as error:
                problems.append(f"{name}: not well-formed XML: {error}")
                continue
            namespace = etree.QName(root).namespace
            if namespace not in understood:
                problems.append(f"{name}: no schema for its root element {root.tag}")
                continue
            found: list[str] = []
            _preprocess(root, understood, frozenset(), frozenset(), found)
            problems += [f"{name}: {problem}" for problem in found]
            if not schema.validate(root):
                problems += [f"{name}:{e.line}: {e.message}" for e in schema.error_log]
    return problems
