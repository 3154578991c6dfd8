//! The XMP metadata packet: PDF/A identification, Dublin Core, XMP basic, PDF
//! producer, and the record fields in the `hoso:` namespace, described by a
//! PDF/A extension schema so validators accept them.

use crate::{DocumentMeta, PdfaPart};

pub const HOSO_NS: &str = "https://hoso.hochiminhcity.gov.vn/ns/record/1.0/";

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The packet, UTF-8, unfiltered (PDF/A-1 forbids filters on metadata).
pub fn xmp(m: &DocumentMeta, part: PdfaPart) -> Vec<u8> {
    let part = match part {
        PdfaPart::One => 1,
        PdfaPart::Two => 2,
    };
    let property = |name: &str, description: &str| {
        format!(
            r#"<rdf:li rdf:parseType="Resource"><pdfaProperty:name>{name}</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>{description}</pdfaProperty:description></rdf:li>"#
        )
    };
    format!(
        r#"<?xpacket begin="{bom}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<pdfaid:part>{part}</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
<dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<xmp:CreateDate>{created}</xmp:CreateDate>
<xmp:ModifyDate>{created}</xmp:ModifyDate>
<xmp:MetadataDate>{created}</xmp:MetadataDate>
<xmp:CreatorTool>{producer}</xmp:CreatorTool>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<pdf:Producer>{producer}</pdf:Producer>
<pdf:Keywords>{keywords}</pdf:Keywords>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>HoSo Intake record</pdfaSchema:schema>
<pdfaSchema:namespaceURI>{ns}</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>hoso</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq>
{p1}
{p2}
{p3}
</rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:hoso="{ns}">
<hoso:RecordCode>{code}</hoso:RecordCode>
<hoso:Procedure>{procedure}</hoso:Procedure>
<hoso:Component>{component}</hoso:Component>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#,
        bom = '\u{feff}',
        title = esc(&m.title),
        author = esc(&m.author),
        subject = esc(&m.subject),
        language = esc(&m.language),
        created = esc(&m.created),
        producer = esc(&m.producer),
        keywords = esc(&m.keywords),
        ns = HOSO_NS,
        p1 = property("RecordCode", "Record code (Circular 01/2018/TT-VPCP)"),
        p2 = property("Procedure", "Administrative procedure code"),
        p3 = property("Component", "Component of the record: ordinal and code"),
        code = esc(&m.record_code),
        procedure = esc(&m.procedure),
        component = esc(&m.component),
    )
    .into_bytes()
}
