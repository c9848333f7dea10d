"""Check an .xlsx package against the ECMA-376 Transitional and OPC schemas in ../shared/xsd, and
check its wiring (content types, relationship targets, r:id references).

The schema set lacks the W3C xml: namespace schema and the Dublin Core dc:/dcterms: schemas that
opc-coreProperties.xsd imports: small stand-ins are given to the validator instead (xml:space and
xml:lang are accepted on any element, as the XML specification reserves them for every element;
any content for the Dublin Core elements).  VML (legacy drawing markup for
comments) is checked for well-formedness only, as ../shared/xsd/SOURCE.md advises.

    findings = check_package("book.xlsx", XSD_DIR)   # [] when everything validates
"""

from __future__ import annotations

import posixpath
import zipfile
from functools import lru_cache
from pathlib import Path

from lxml import etree

XSD_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "xsd"

NS_SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
NS_XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NS_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
NS_APP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
NS_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# root element namespace -> schema file
SCHEMA_OF = {
    NS_SML: "sml.xsd",
    NS_CHART: "dml-chart.xsd",
    NS_XDR: "dml-spreadsheetDrawing.xsd",
    NS_A: "dml-main.xsd",
    NS_CT: "opc-contentTypes.xsd",
    NS_RELS: "opc-relationships.xsd",
    NS_CORE: "opc-coreProperties.xsd",
    NS_APP: "shared-documentPropertiesExtended.xsd",
    NS_CUSTOM: "shared-documentPropertiesCustom.xsd",
}

_XML_STANDIN = b"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
  targetNamespace="http://www.w3.org/XML/1998/namespace">
  <xs:attribute name="space"><xs:simpleType><xs:restriction base="xs:NCName">
    <xs:enumeration value="default"/><xs:enumeration value="preserve"/></xs:restriction></xs:simpleType>
  </xs:attribute>
  <xs:attribute name="lang" type="xs:language"/>
</xs:schema>"""


def _dc_standin(ns: str, names: list[str]) -> bytes:
    elements = "".join(f'<xs:element name="{n}"><xs:complexType mixed="true"><xs:sequence>'
                       f'<xs:any minOccurs="0" maxOccurs="unbounded" processContents="lax"/></xs:sequence>'
                       f'<xs:anyAttribute processContents="lax"/></xs:complexType></xs:element>'
                       for n in names)
    return (f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="{ns}" '
            f'elementFormDefault="qualified">{elements}</xs:schema>').encode()


_DC = _dc_standin("http://purl.org/dc/elements/1.1/",
                  ["creator", "description", "identifier", "language", "subject", "title", "contributor",
                   "coverage", "date", "format", "publisher", "relation", "rights", "source", "type"])
# dcterms:created and dcterms:modified carry xsi:type="dcterms:W3CDTF" (a date-time as text)
_DCTERMS = (b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="http://purl.org/dc/terms/" '
            b'targetNamespace="http://purl.org/dc/terms/" elementFormDefault="qualified">'
            b'<xs:element name="created" type="xs:string"/><xs:element name="modified" type="xs:string"/>'
            b'<xs:simpleType name="W3CDTF"><xs:restriction base="xs:string"/></xs:simpleType></xs:schema>')
_XML_ATTRS = ("{http://www.w3.org/XML/1998/namespace}space", "{http://www.w3.org/XML/1998/namespace}lang")


class _StandIns(etree.Resolver):
    def resolve(self, url, pubid, context):
        if url.endswith("/dc.xsd"):
            return self.resolve_string(_DC, context)
        if url.endswith("/dcterms.xsd"):
            return self.resolve_string(_DCTERMS, context)
        if "XML/1998/namespace" in url or url.endswith("xml.xsd"):
            return self.resolve_string(_XML_STANDIN, context)
        return None


@lru_cache(maxsize=None)
def _schema(xsd_dir: str, name: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_StandIns())
    doc = etree.parse(str(Path(xsd_dir) / name), parser)
    if name == "opc-coreProperties.xsd":  # give the xml: import a location the resolver answers
        for imp in doc.getroot().iter("{http://www.w3.org/2001/XMLSchema}import"):
            if imp.get("namespace") == "http://www.w3.org/XML/1998/namespace":
                imp.set("schemaLocation", "http://www.w3.org/2001/xml.xsd")
    return etree.XMLSchema(doc)


def _rels_path(part: str) -> str:
    d, f = posixpath.split(part)
    return posixpath.join(d, "_rels", f + ".rels")


def check_package(path, xsd_dir: Path = XSD_DIR) -> list[str]:
    """Every finding as one line 'part: what is wrong'; [] when the package is clean."""
    findings: list[str] = []
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        docs = {}
        for name in sorted(names):
            if name.endswith("/"):
                continue
            data = z.read(name)
            if not (name.endswith(".xml") or name.endswith(".rels") or name.endswith(".vml")):
                continue
            try:
                docs[name] = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
            except etree.XMLSyntaxError as e:
                findings.append(f"{name}: not well-formed XML: {e}")
                continue
            if name.endswith(".vml"):
                continue  # legacy markup: well-formedness only
            root = docs[name]
            ns = etree.QName(root).namespace
            schema_name = SCHEMA_OF.get(ns)
            if schema_name is None:
                findings.append(f"{name}: no schema for root element {root.tag}")
                continue
            schema = _schema(str(xsd_dir), schema_name)
            # xml:space and xml:lang are reserved by XML itself for any element (Excel writes
            # <t xml:space="preserve">, which sml.xsd's simple-typed <t> cannot declare)
            for el in root.iter():
                for a in _XML_ATTRS:
                    el.attrib.pop(a, None)
            if not schema.validate(root):
                for err in list(schema.error_log)[:5]:
                    findings.append(f"{name}:{err.line}: {err.message}")
        findings.extend(_wiring(names, docs))
    return findings


def _wiring(names: set, docs: dict) -> list[str]:
    """Content types for every part, relationship targets that exist, r:ids that resolve."""
    out = []
    ct = docs.get("[Content_Types].xml")
    if ct is None:
        return ["[Content_Types].xml: missing"]
    defaults = {e.get("Extension").lower() for e in ct.iter(f"{{{NS_CT}}}Default")}
    overrides = {e.get("PartName").lstrip("/") for e in ct.iter(f"{{{NS_CT}}}Override")}
    for name in sorted(names):
        if name.endswith("/") or name == "[Content_Types].xml":
            continue
        if name not in overrides and name.rsplit(".", 1)[-1].lower() not in defaults:
            out.append(f"{name}: no content type")
    for name in sorted(overrides):
        if name not in names:
            out.append(f"[Content_Types].xml: override for missing part /{name}")
    for rels_name, rels in docs.items():
        if not rels_name.endswith(".rels"):
            continue
        d = posixpath.dirname(posixpath.dirname(rels_name))
        source = posixpath.join(d, posixpath.basename(rels_name)[:-5])
        ids = set()
        for rel in rels.iter(f"{{{NS_RELS}}}Relationship"):
            ids.add(rel.get("Id"))
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target")
            full = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(d, target))
            if full not in names:
                out.append(f"{rels_name}: {rel.get('Id')} targets missing part {full}")
        doc = docs.get(source)
        if doc is None:
            continue
        for el in doc.iter():
            for attr, value in el.attrib.items():
                if attr.startswith(f"{{{NS_R}}}") and value not in ids:
                    out.append(f"{source}: r:{etree.QName(attr).localname}={value!r} has no relationship")
    for name in sorted(docs):
        if name.endswith(".rels") or name == "[Content_Types].xml":
            continue
        has_rid = any(a.startswith(f"{{{NS_R}}}") for el in docs[name].iter() for a in el.attrib)
        if has_rid and _rels_path(name) not in names:
            out.append(f"{name}: uses r:id but has no {_rels_path(name)}")
    return out


if __name__ == "__main__":
    import sys
    problems = check_package(sys.argv[1])
    print("\n".join(problems) or "clean")
