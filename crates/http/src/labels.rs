//! QR codes and printable label sheets for equipment. A label's QR code encodes
//! `{server.public_url}/q/{code}`, which the web app opens as the item's page.

use std::collections::HashMap;
use std::fmt::Write;

use bosun_domain::EquipmentId;
use bosun_domain::equipment::Equipment;
use bosun_domain::vessel::Vessel;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// The QR code of `url` as a standalone SVG document, one unit per module, with a quiet zone.
/// `None` only if the text cannot fit a QR code (it always does: a URL of at most ~230 bytes).
pub(crate) fn qr_svg(url: &str) -> Option<String> {
    // Level M survives about 15 % damage: enough for a label on a greasy bulkhead while keeping
    // the code small enough to scan from arm's length.
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()?;
    Some(code.render::<svg::Color<'_>>().module_dimensions(1, 1).quiet_zone(true).build())
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Area names as printed on a label.
fn area_label(area: bosun_domain::equipment::Area) -> &'static str {
    use bosun_domain::equipment::Area::*;
    match area {
        EngineRoom => "Engine room",
        Deck => "Deck",
        Bridge => "Bridge",
        Accommodation => "Accommodation",
        Cargo => "Cargo",
        Electrical => "Electrical",
        Hull => "Hull",
        Other => "Other",
    }
}

/// The code grouped for reading aloud: `ABCDE-FGHJK`.
fn spaced(code: &str) -> String {
    if code.len() == 10 { format!("{}-{}", &code[..5], &code[5..]) } else { code.to_owned() }
}

const STYLE: &str = r#"
  @page { size: A4; margin: 10mm; }
  * { box-sizing: border-box; }
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #000; }
  header { margin: 0 0 6mm; }
  header h1 { font-size: 14pt; margin: 0; }
  header p { font-size: 9pt; margin: 1mm 0 0; color: #444; }
  .sheet { display: grid; grid-template-columns: repeat(3, 1fr); gap: 3mm; }
  .label { border: 0.3mm dashed #999; padding: 2mm; height: 34mm; display: flex; gap: 2mm;
           align-items: center; break-inside: avoid; page-break-inside: avoid; overflow: hidden; }
  .label svg { width: 28mm; height: 28mm; flex: none; }
  .text { min-width: 0; }
  .name { font-size: 9pt; font-weight: 600; line-height: 1.15; max-height: 3.5em; overflow: hidden; }
  .parent { font-size: 7.5pt; color: #333; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .area { font-size: 7.5pt; color: #333; margin-top: 1mm; }
  .code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 9pt; margin-top: 1.5mm;
          letter-spacing: 0.05em; }
  @media print { header p.hint { display: none; } .label { border-color: #ccc; } }
"#;

/// An HTML page of labels for `items`, three across, sized for A4; no external assets.
pub(crate) fn label_sheet(vessel: &Vessel, items: &[Equipment], public_url: &str) -> String {
    let mut html = String::with_capacity(items.len() * 8 * 1024 + 4096);
    let title = format!("QR labels: {}", escape_html(&vessel.name));
    let _ = write!(
        html,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style>{STYLE}</style></head><body>\
         <header><h1>{title}</h1><p>{n} items. Scan a label to open the item in Bosun.</p>\
         <p class=\"hint\">Print at 100 % scale on A4; cut along the dashed lines.</p></header>\
         <main class=\"sheet\">",
        n = items.len()
    );
    let names: HashMap<EquipmentId, &str> = items.iter().map(|e| (e.id, e.name.as_str())).collect();
    for e in items {
        // Components often share names ("Turbocharger"): the label names what they belong to.
        let parent =
            e.parent_id.and_then(|p| names.get(&p)).map(|p| format!("<div class=\"parent\">{}</div>", escape_html(p)));
        let url = crate::views::qr_url(public_url, &e.qr_code);
        // The XML prolog is for standalone files, not for SVG inside HTML.
        let svg = qr_svg(&url).unwrap_or_default();
        let svg = svg.find("<svg").map_or("", |i| &svg[i..]);
        let _ = write!(
            html,
            "<section class=\"label\" data-code=\"{code}\">{svg}<div class=\"text\">{parent}<div class=\"name\">{name}</div>\
             <div class=\"area\">{area} · {level}</div><div class=\"code\">{spaced}</div></div></section>",
            code = escape_html(&e.qr_code),
            parent = parent.unwrap_or_default(),
            name = escape_html(&e.name),
            area = area_label(e.area),
            level = e.level.as_str(),
            spaced = escape_html(&spaced(&e.qr_code)),
        );
    }
    html.push_str("</main></body></html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_special_characters_are_escaped() {
        assert_eq!(escape_html(r#"<b>"Tom's" & co</b>"#), "&lt;b&gt;&quot;Tom&#39;s&quot; &amp; co&lt;/b&gt;");
    }

    #[test]
    fn a_qr_svg_is_a_square_svg_document() {
        let svg = qr_svg("http://127.0.0.1:8080/q/ABCDEFGHJK").expect("fits");
        assert!(svg.starts_with("<?xml"));
        assert!(svg.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.ends_with("</svg>"));
        assert_eq!(spaced("ABCDEFGHJK"), "ABCDE-FGHJK");
    }
}
