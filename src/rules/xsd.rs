//! Avails XML checked against its XSD: one code per kind of problem
//! ([`XsdKind`]). The XML reader finds them as it reads (`read::xml::xsd`,
//! tables generated from the MovieLabs XSDs into `schemas/xsd/`); these are
//! their codes and docs.
//!
//! Each applies the XSD of the document's avails version (the namespace of
//! its root: 2.1, 2.2, 2.2.1, 2.2.2, 2.3, 2.4, 2.5, 2.5.2, 2.6, 2.6.1 or
//! 2.7) and the md XSD that version imports. Nothing is fetched: no DTD, no
//! `xsi:schemaLocation`, no network.

use super::RuleMeta;
use crate::read::XsdKind;

super::declare_rule! {
    /// ## What it does
    /// Reports an element the avails XSD does not have where it stands: a
    /// misspelt or invented name, an element written in the wrong namespace
    /// (an avails element without the avails prefix, `md:` where the schema
    /// has an avails element), or an element inside one that holds only
    /// text. Its content is not checked; one written in a namespace
    /// availcheck does not read is not read either.
    ///
    /// ## Why it matters
    /// A validator stops at the first such element; Amazon rejects the file.
    ///
    /// ## Example
    /// ```xml
    /// <Transaction><Licensetype>EST</Licensetype>…
    /// ```
    /// Fixed:
    /// ```xml
    /// <Transaction><LicenseType>EST</LicenseType>…
    /// ```
    ///
    /// ## Source
    /// The content models of `avails-v2.x.xsd` (2.1–2.7) and the `md-v2.x.xsd`
    /// each imports (MovieLabs reference files; `schemas/xsd/`).
    pub struct UnknownElement = ("XSD001", "xsd-unknown-element", Error, Reader,
        "Element the avails XSD does not have there");
}

super::declare_rule! {
    /// ## What it does
    /// Reports a child element out of the order its parent's type sets (the
    /// XSD's `xs:sequence`), or one the schema does not allow after the
    /// element before it (e.g. both `Start` and `StartCondition`, which are
    /// a choice).
    ///
    /// ## Why it matters
    /// XSD sequences are ordered; a validator rejects the file.
    ///
    /// ## Example
    /// ```xml
    /// <Transaction><LicenseType>EST</LicenseType><Start>…</Start><Territory>…</Territory>…
    /// ```
    /// Fixed:
    /// ```xml
    /// <Transaction><LicenseType>EST</LicenseType><Territory>…</Territory><Start>…</Start>…
    /// ```
    ///
    /// ## Source
    /// `xs:sequence` and `xs:choice` of `avails-v2.x.xsd` and `md-v2.x.xsd`
    /// (e.g. `AvailTrans-type` in avails-v2.3.xsd).
    pub struct Order = ("XSD002", "xsd-element-order", Error, Reader,
        "Element out of the order its XSD sets");
}

super::declare_rule! {
    /// ## What it does
    /// Reports a child element repeated where the XSD allows it once
    /// (`maxOccurs` 1).
    ///
    /// ## Why it matters
    /// A validator rejects the file; readers disagree on which copy counts.
    ///
    /// ## Example
    /// ```xml
    /// <FormatProfile>HD</FormatProfile><FormatProfile>SD</FormatProfile>
    /// ```
    /// Fixed: one Transaction per format:
    /// ```xml
    /// <FormatProfile>HD</FormatProfile>
    /// ```
    ///
    /// ## Source
    /// `maxOccurs` in `avails-v2.x.xsd` and `md-v2.x.xsd`.
    pub struct Repeated = ("XSD003", "xsd-element-repeated", Error, Reader,
        "Element repeated that the XSD allows once");
}

super::declare_rule! {
    /// ## What it does
    /// Reports a required child element (`minOccurs` 1) that is missing,
    /// at its parent's start tag: `Avail` without `Licensor`, `Transaction`
    /// without `Start` or `StartCondition`, `Asset` without `Metadata` (or
    /// another unit metadata element), `Term` required in 2.1–2.3, …
    ///
    /// ## Why it matters
    /// A validator rejects the file; the avail lacks facts Amazon needs.
    ///
    /// ## Example
    /// ```xml
    /// <Asset contentID="md:cid:org:acme:1"><WorkType>Movie</WorkType></Asset>
    /// ```
    /// Fixed:
    /// ```xml
    /// <Asset contentID="md:cid:org:acme:1"><WorkType>Movie</WorkType>
    ///   <Metadata><TitleInternalAlias>Title</TitleInternalAlias></Metadata></Asset>
    /// ```
    ///
    /// ## Source
    /// `minOccurs` in `avails-v2.x.xsd` and `md-v2.x.xsd` (e.g.
    /// `AvailAsset-type` in avails-v2.3.xsd).
    pub struct MissingElement = ("XSD004", "xsd-missing-element", Error, Reader,
        "Required element missing");
}

super::declare_rule! {
    /// ## What it does
    /// Reports an attribute the element's XSD type does not declare
    /// (attributes are case-sensitive). Namespace declarations and
    /// `xsi:` attributes are allowed anywhere; `xsi:schemaLocation` is
    /// never fetched.
    ///
    /// ## Why it matters
    /// A validator rejects the file, and the value is not what a reader
    /// looks for.
    ///
    /// ## Example
    /// ```xml
    /// <Asset contentid="md:cid:org:acme:1">
    /// ```
    /// Fixed:
    /// ```xml
    /// <Asset contentID="md:cid:org:acme:1">
    /// ```
    ///
    /// ## Source
    /// `xs:attribute` declarations in `avails-v2.x.xsd` and `md-v2.x.xsd`.
    pub struct UnknownAttribute = ("XSD005", "xsd-unknown-attribute", Error, Reader,
        "Attribute the XSD does not declare");
}

super::declare_rule! {
    /// ## What it does
    /// Reports a required attribute (`use="required"`) that is missing,
    /// such as `Asset/@contentID` or `Term/@termName`.
    ///
    /// ## Why it matters
    /// A validator rejects the file; the attribute identifies the asset or
    /// says what the term is.
    ///
    /// ## Example
    /// ```xml
    /// <Term><Money currency="USD">4.99</Money></Term>
    /// ```
    /// Fixed:
    /// ```xml
    /// <Term termName="Tier"><Money currency="USD">4.99</Money></Term>
    /// ```
    ///
    /// ## Source
    /// `use="required"` in `avails-v2.x.xsd` and `md-v2.x.xsd`.
    pub struct MissingAttribute = ("XSD006", "xsd-missing-attribute", Error, Reader,
        "Required attribute missing");
}

super::declare_rule! {
    /// ## What it does
    /// Reports a value (element text or attribute) that is not in the
    /// syntax of its XSD built-in type: xs:dateTime (`Start`, `End`),
    /// xs:duration (`RunLength`, `WindowDuration`, `@lag`), xs:language
    /// (`AllowedLanguage`, `AssetLanguage`: one tag, no `:asset` suffix,
    /// no list), xs:decimal (`Money`), xs:boolean, xs:integer and the other
    /// integer types, xs:date, xs:gYear, xs:time, and unions of them
    /// (`ReleaseDate`). An empty value is reported as empty.
    ///
    /// ## Why it matters
    /// A validator rejects the file; other tools misread the value.
    ///
    /// ## Example
    /// ```xml
    /// <Start>2026-03-01</Start>
    /// <AllowedLanguage>es:subdub</AllowedLanguage>
    /// <AssetLanguage>EN, FR, ES</AssetLanguage>
    /// ```
    /// Fixed:
    /// ```xml
    /// <Start>2026-03-01T00:00:00Z</Start>
    /// <AllowedLanguage asset="subdub">es</AllowedLanguage>
    /// <AssetLanguage>en</AssetLanguage><AssetLanguage>fr</AssetLanguage><AssetLanguage>es</AssetLanguage>
    /// ```
    ///
    /// ## Source
    /// The types of `avails-v2.x.xsd` and `md-v2.x.xsd`; lexical spaces of
    /// XML Schema 1.0 Part 2 (Datatypes), §3.2–3.3.
    pub struct Syntax = ("XSD007", "xsd-value-syntax", Error, Reader,
        "Value not in the syntax of its XSD type");
}

super::declare_rule! {
    /// ## What it does
    /// Reports a value that is not one of the values its XSD type
    /// enumerates (case-sensitive), or not the value the XSD fixes.
    ///
    /// ## Why it matters
    /// A validator rejects the file.
    ///
    /// ## Example
    /// ```xml
    /// <md:Gender>Male</md:Gender>  <!-- in People/md:Name, avails 2.3 -->
    /// <md:NotRated>false</md:NotRated>
    /// ```
    /// Fixed:
    /// ```xml
    /// <md:Gender>male</md:Gender>
    /// <md:NotRated>true</md:NotRated>
    /// ```
    ///
    /// ## Source
    /// `xs:enumeration` and `fixed` in `md-v2.x.xsd` and `avails-v2.x.xsd`.
    pub struct Enumeration = ("XSD008", "xsd-value-enumeration", Error, Reader,
        "Value not among its XSD type's values");
}

super::declare_rule! {
    /// ## What it does
    /// Reports a value that does not match its XSD type's pattern, all of
    /// it: `md:country` is two capital letters (`[A-Z][A-Z]`, no spaces),
    /// `md:countryRegion` ISO 3166-2 or a UN M.49 number.
    ///
    /// ## Why it matters
    /// A validator rejects the file.
    ///
    /// ## Example
    /// ```xml
    /// <Territory><md:country>us</md:country></Territory>
    /// ```
    /// Fixed:
    /// ```xml
    /// <Territory><md:country>US</md:country></Territory>
    /// ```
    ///
    /// ## Source
    /// `xs:pattern` in `md-v2.x.xsd` (e.g. `string-Region-country` in
    /// md-v2.6.xsd).
    pub struct Pattern = ("XSD009", "xsd-value-pattern", Error, Reader,
        "Value not matching its XSD pattern");
}

super::declare_rule! {
    /// ## What it does
    /// Reports text (other than whitespace) inside an element whose XSD type
    /// holds only elements, such as a value written straight into
    /// `Territory` or `Transaction`.
    ///
    /// ## Why it matters
    /// A validator rejects the file, and the text is read by nobody.
    ///
    /// ## Example
    /// ```xml
    /// <Territory>US</Territory>
    /// ```
    /// Fixed:
    /// ```xml
    /// <Territory><md:country>US</md:country></Territory>
    /// ```
    ///
    /// ## Source
    /// Element-only complex types of `avails-v2.x.xsd` and `md-v2.x.xsd`
    /// (XML Schema 1.0 Part 1, cvc-complex-type.2.3).
    pub struct Text = ("XSD010", "xsd-text-in-element-content", Error, Reader,
        "Text where the XSD allows only elements");
}

super::declare_rule! {
    /// ## What it does
    /// Reports an element in an md (Common Metadata) or mdmec namespace of
    /// another version than the one the document's avails version imports,
    /// once per namespace, at its first element. Its elements are then
    /// checked as the imported version's.
    ///
    /// ## Why it matters
    /// Each avails XSD imports one md version; in another namespace its md
    /// elements are unknown to it and a validator rejects every one of them.
    ///
    /// ## Example
    /// ```xml
    /// <AvailList xmlns="http://www.movielabs.com/schema/avails/v2.3/avails"
    ///   xmlns:md="http://www.movielabs.com/schema/md/v2.5/md">
    /// ```
    /// Fixed (avails 2.3 imports md 2.6):
    /// ```xml
    /// <AvailList xmlns="http://www.movielabs.com/schema/avails/v2.3/avails"
    ///   xmlns:md="http://www.movielabs.com/schema/md/v2.6/md">
    /// ```
    ///
    /// ## Source
    /// `xs:import` of `avails-v2.x.xsd` (2.1, 2.2: md 2.4; 2.2.1, 2.2.2: md
    /// 2.5; 2.3: md 2.6; 2.4: md 2.7; 2.5: md 2.8; 2.5.2: md 2.9; 2.6: md
    /// 2.10; 2.6.1: md 2.11; 2.7: md 2.12).
    pub struct MdVersion = ("XSD011", "xsd-md-version", Error, Reader,
        "md namespace of another version than the avails version imports");
}

super::declare_rule! {
    /// ## What it does
    /// Warns about an element of a namespace availcheck has no schema for,
    /// where the avails XSD allows "any element of another namespace" but
    /// requires it to be declared (`xs:any` with strict processing).
    ///
    /// ## Why it matters
    /// A validator that has the extension's schema accepts it; one that has
    /// only the avails and md schemas (as Amazon's likely does) rejects the
    /// file. availcheck cannot tell which, so this is a warning.
    ///
    /// ## Example
    /// ```xml
    /// <Asset contentID="…">…<acme:Internal xmlns:acme="urn:acme">7</acme:Internal></Asset>
    /// ```
    /// Fixed: agree the extension with the recipient, or leave it out:
    /// ```xml
    /// <Asset contentID="…">…</Asset>
    /// ```
    ///
    /// ## Source
    /// `xs:any namespace="##other"` (processContents strict) in
    /// `avails-v2.x.xsd`, e.g. `AvailAsset-type`; XML Schema 1.0 Part 1,
    /// cvc-complex-type.2.4.c.
    pub struct NoSchema = ("XSD012", "xsd-no-schema", Warning, Reader,
        "Extension element without a schema");
}

/// The XSD findings' metadata, in code order.
pub static METAS: [&RuleMeta; 12] = [
    &UnknownElement::META,
    &Order::META,
    &Repeated::META,
    &MissingElement::META,
    &UnknownAttribute::META,
    &MissingAttribute::META,
    &Syntax::META,
    &Enumeration::META,
    &Pattern::META,
    &Text::META,
    &MdVersion::META,
    &NoSchema::META,
];

/// The code of a kind of XSD finding.
pub fn meta_of(kind: XsdKind) -> &'static RuleMeta {
    match kind {
        XsdKind::UnknownElement => &UnknownElement::META,
        XsdKind::Order => &Order::META,
        XsdKind::Repeated => &Repeated::META,
        XsdKind::MissingElement => &MissingElement::META,
        XsdKind::UnknownAttribute => &UnknownAttribute::META,
        XsdKind::MissingAttribute => &MissingAttribute::META,
        XsdKind::Syntax => &Syntax::META,
        XsdKind::Enumeration => &Enumeration::META,
        XsdKind::Pattern => &Pattern::META,
        XsdKind::Text => &Text::META,
        XsdKind::MdVersion => &MdVersion::META,
        XsdKind::NoSchema => &NoSchema::META,
    }
}
