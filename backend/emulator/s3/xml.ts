/**
 * Minimal restXml support: S3 request documents (Delete, VersioningConfiguration, Retention, LegalHold) are
 * flat and small, so a tag extractor with entity decoding suffices; responses are built as escaped strings.
 */

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** Decodes the five XML entities and numeric character references. */
function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e.startsWith("#x")) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith("#")) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e]!;
  });
}

/** Escapes text for an element body; carriage returns are escaped so they survive XML parsing. */
function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => (c === "\r" ? "&#13;" : `&${c === "&" ? "amp" : c === "<" ? "lt" : c === ">" ? "gt" : c === '"' ? "quot" : "apos"};`));
}

/** Inner XML of every `<tag>` element (not nested in itself), in document order. */
export function elements(xml: string, tag: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<${tag}(?:\\s[^>]*)?(?:/>|>([\\s\\S]*?)</${tag}>)`, "g");
  for (const m of xml.matchAll(re)) out.push(m[1] ?? "");
  return out;
}

/** Decoded text of the first `<tag>` element, if present. */
export function text(xml: string, tag: string): string | undefined {
  const first = elements(xml, tag)[0];
  return first === undefined ? undefined : decodeXml(first);
}

type XmlValue = string | number | boolean | undefined | XmlNode | XmlNode[];
export interface XmlNode {
  [tag: string]: XmlValue;
}

/** Serialises nested objects to XML; arrays repeat the element, undefined members are omitted. */
export function toXml(node: XmlNode): string {
  let out = "";
  for (const [tag, value] of Object.entries(node)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) out += `<${tag}>${toXml(item)}</${tag}>`;
    else if (typeof value === "object") out += `<${tag}>${toXml(value)}</${tag}>`;
    else out += `<${tag}>${escapeXml(String(value))}</${tag}>`;
  }
  return out;
}

const NS = "http://s3.amazonaws.com/doc/2006-03-01/";

/** A full response document with the S3 namespace on its root element. */
export function xmlDocument(root: string, body: XmlNode): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NS}">${toXml(body)}</${root}>`;
}
