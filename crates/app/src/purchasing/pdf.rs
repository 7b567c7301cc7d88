//! The printable purchase order: an A4 PDF in the standard Helvetica fonts (no font is
//! embedded, so any reader shows it and the file stays small), laid out by hand with
//! `pdf-writer`. Text is encoded in WinAnsi, which covers the Latin letters suppliers' and
//! vessels' names use (`ø`, `ä`, `é`); anything else prints as `?`. At most [`ROWS_PER_PAGE`]
//! lines a page, so an order of 200 lines is seven pages.

use bosun_domain::PurchaseOrderId;
use bosun_domain::permissions::Action;
use bosun_domain::purchasing::line_total;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::PurchasingService;
use super::orders::FullOrder;
use crate::{Actor, Error, Result};

/// Order lines printed on one page.
pub const ROWS_PER_PAGE: usize = 30;

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 50.0;
const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// What a printed order shows, as text.
#[derive(Debug, Clone, Default)]
pub struct OrderDocument {
    /// The buying company.
    pub company: String,
    /// `PO-000042`.
    pub number: String,
    /// The day it was made (`2026-12-06`).
    pub date: String,
    /// When delivery is expected.
    pub expected_on: Option<String>,
    /// Where it stands.
    pub status: String,
    /// The supplier's name, then its contact, address, e-mail and telephone lines.
    pub supplier: Vec<String>,
    /// The vessel delivered to.
    pub deliver_to: String,
    /// The lines.
    pub lines: Vec<DocumentLine>,
    /// The order's total, formatted.
    pub total: String,
    /// Every amount's currency.
    pub currency: String,
    /// Delivery instructions.
    pub note: Option<String>,
}

/// One printed line.
#[derive(Debug, Clone, Default)]
pub struct DocumentLine {
    /// The part's number.
    pub number: String,
    /// The part's name.
    pub name: String,
    /// Quantity ordered.
    pub quantity: String,
    /// Unit of measure.
    pub unit: String,
    /// Unit price, formatted.
    pub unit_price: String,
    /// Line total, formatted.
    pub total: String,
}

/// An amount of minor units as `1,234.50` (two decimals).
pub fn money(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let whole = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", abs % 100)
}

/// Text in WinAnsi bytes: ASCII and Latin-1 as they are, the typographic marks Windows-1252
/// adds, `?` for anything else; control characters become spaces.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{ff}' => u8::try_from(u32::from(c)).unwrap_or(b'?'),
            '€' => 0x80,
            '‚' => 0x82,
            '„' => 0x84,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            'Š' => 0x8a,
            'Œ' => 0x8c,
            'Ž' => 0x8e,
            'š' => 0x9a,
            'œ' => 0x9c,
            'ž' => 0x9e,
            'Ÿ' => 0x9f,
            c if c.is_control() => b' ',
            _ => b'?',
        })
        .collect()
}

/// Helvetica's advance width of a character in thousandths of the font size (digits and the
/// marks numbers use exactly; other characters at an average, which only truncation uses).
fn width(c: char) -> f32 {
    match c {
        '0'..='9' => 556.0,
        '.' | ',' | ' ' => 278.0,
        '-' => 333.0,
        'i' | 'j' | 'l' | '\'' => 222.0,
        'm' | 'w' | 'M' | 'W' => 833.0,
        c if c.is_uppercase() => 667.0,
        _ => 556.0,
    }
}

fn text_width(text: &str, size: f32) -> f32 {
    text.chars().map(width).sum::<f32>() * size / 1000.0
}

/// `text` cut to fit `max` points, with an ellipsis when cut.
fn fit(text: &str, size: f32, max: f32) -> String {
    if text_width(text, size) <= max {
        return text.to_owned();
    }
    let mut out = String::new();
    for c in text.chars() {
        if text_width(&out, size) + width(c) * size / 1000.0 + text_width("...", size) > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

struct Page {
    content: Content,
}

impl Page {
    fn text(&mut self, font: Name, size: f32, x: f32, y: f32, text: &str) {
        let c = &mut self.content;
        c.begin_text();
        c.set_font(font, size);
        c.next_line(x, y);
        c.show(Str(&win_ansi(text)));
        c.end_text();
    }

    fn right(&mut self, font: Name, size: f32, right: f32, y: f32, text: &str) {
        self.text(font, size, right - text_width(text, size), y, text);
    }

    fn rule(&mut self, y: f32) {
        self.content.set_line_width(0.5);
        self.content.move_to(MARGIN, y);
        self.content.line_to(PAGE_W - MARGIN, y);
        self.content.stroke();
    }
}

/// Column x positions: #, number, name, then the right edges of quantity, unit price, total;
/// unit after quantity.
const COL_POS: f32 = MARGIN;
const COL_NUMBER: f32 = MARGIN + 22.0;
const COL_NAME: f32 = MARGIN + 120.0;
const COL_QTY_RIGHT: f32 = 385.0;
const COL_UNIT: f32 = 390.0;
const COL_PRICE_RIGHT: f32 = 480.0;
const COL_TOTAL_RIGHT: f32 = PAGE_W - MARGIN;

/// Renders the order.
pub fn render(doc: &OrderDocument) -> Vec<u8> {
    let chunks: Vec<&[DocumentLine]> =
        if doc.lines.is_empty() { vec![&[]] } else { doc.lines.chunks(ROWS_PER_PAGE).collect() };
    let pages = chunks.len();
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let (regular, bold, info) = (Ref::new(3), Ref::new(4), Ref::new(5));
    let page_ids: Vec<Ref> = (0..pages).map(|i| Ref::new(6 + 2 * i32::try_from(i).unwrap_or(0))).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_ids.iter().copied()).count(i32::try_from(pages).unwrap_or(1));
    pdf.type1_font(regular).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info).title(TextStr(&format!("Purchase order {}", doc.number))).creator(TextStr("Bosun"));
    let mut first_row = 0;
    for (n, rows) in chunks.iter().enumerate() {
        let mut p = Page { content: Content::new() };
        let mut y = PAGE_H - MARGIN - 10.0;
        p.text(BOLD, 18.0, MARGIN, y, "PURCHASE ORDER");
        p.right(BOLD, 14.0, COL_TOTAL_RIGHT, y, &doc.number);
        y -= 22.0;
        p.text(BOLD, 11.0, MARGIN, y, &fit(&doc.company, 11.0, 300.0));
        p.right(REGULAR, 9.0, COL_TOTAL_RIGHT, y, &format!("Date {}", doc.date));
        y -= 13.0;
        if let Some(e) = &doc.expected_on {
            p.right(REGULAR, 9.0, COL_TOTAL_RIGHT, y, &format!("Delivery expected {e}"));
        }
        p.text(REGULAR, 9.0, MARGIN, y, &format!("Status: {}", doc.status));
        if n == 0 {
            y -= 24.0;
            p.text(BOLD, 9.0, MARGIN, y, "SUPPLIER");
            p.text(BOLD, 9.0, 320.0, y, "DELIVER TO");
            let mut sy = y - 13.0;
            for (i, line) in doc.supplier.iter().take(8).enumerate() {
                let font = if i == 0 { BOLD } else { REGULAR };
                p.text(font, 9.0, MARGIN, sy, &fit(line, 9.0, 250.0));
                sy -= 12.0;
            }
            p.text(REGULAR, 9.0, 320.0, y - 13.0, &fit(&doc.deliver_to, 9.0, 225.0));
            y = sy - 12.0;
        } else {
            y -= 24.0;
        }
        p.text(BOLD, 8.5, COL_POS, y, "#");
        p.text(BOLD, 8.5, COL_NUMBER, y, "Part number");
        p.text(BOLD, 8.5, COL_NAME, y, "Description");
        p.right(BOLD, 8.5, COL_QTY_RIGHT, y, "Qty");
        p.text(BOLD, 8.5, COL_UNIT, y, "Unit");
        p.right(BOLD, 8.5, COL_PRICE_RIGHT, y, "Unit price");
        p.right(BOLD, 8.5, COL_TOTAL_RIGHT, y, "Total");
        y -= 5.0;
        p.rule(y);
        y -= 12.0;
        for (i, l) in rows.iter().enumerate() {
            p.text(REGULAR, 8.5, COL_POS, y, &(first_row + i + 1).to_string());
            p.text(REGULAR, 8.5, COL_NUMBER, y, &fit(&l.number, 8.5, COL_NAME - COL_NUMBER - 6.0));
            p.text(REGULAR, 8.5, COL_NAME, y, &fit(&l.name, 8.5, COL_QTY_RIGHT - COL_NAME - 45.0));
            p.right(REGULAR, 8.5, COL_QTY_RIGHT, y, &l.quantity);
            p.text(REGULAR, 8.5, COL_UNIT, y, &fit(&l.unit, 8.5, 30.0));
            p.right(REGULAR, 8.5, COL_PRICE_RIGHT, y, &l.unit_price);
            p.right(REGULAR, 8.5, COL_TOTAL_RIGHT, y, &l.total);
            y -= 14.0;
        }
        first_row += rows.len();
        if n + 1 == pages {
            p.rule(y + 8.0);
            y -= 6.0;
            p.right(BOLD, 10.0, COL_PRICE_RIGHT, y, &format!("Total {}", doc.currency));
            p.right(BOLD, 10.0, COL_TOTAL_RIGHT, y, &doc.total);
            if let Some(note) = &doc.note {
                y -= 26.0;
                p.text(BOLD, 9.0, MARGIN, y, "NOTE");
                for chunk in note.lines().flat_map(|l| wrap(l, 9.0, PAGE_W - 2.0 * MARGIN)).take(12) {
                    y -= 12.0;
                    p.text(REGULAR, 9.0, MARGIN, y, &chunk);
                }
            }
        }
        p.text(REGULAR, 7.5, MARGIN, MARGIN - 20.0, &format!("{} · {}", doc.number, doc.company));
        p.right(REGULAR, 7.5, COL_TOTAL_RIGHT, MARGIN - 20.0, &format!("Page {} of {pages}", n + 1));
        let id = page_ids[n];
        let content_id = Ref::new(id.get() + 1);
        let mut page = pdf.page(id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H)).parent(tree).contents(content_id);
        page.resources().fonts().pair(REGULAR, regular).pair(BOLD, bold);
        page.finish();
        pdf.stream(content_id, &p.content.finish());
    }
    pdf.finish()
}

/// A paragraph broken into lines that fit `max` points.
fn wrap(text: &str, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
        if text_width(&candidate, size) > max && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line = fit(word, size, max);
        } else {
            line = fit(&candidate, size, max);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

impl PurchasingService {
    /// The printable order (`PO-000042.pdf`): only for those who read supplier prices, which
    /// it shows.
    pub async fn order_pdf(&self, actor: &Actor, id: PurchaseOrderId) -> Result<(String, Vec<u8>)> {
        // It shows supplier prices: a refusal is recorded, as one of a write is.
        self.deps.authorize(actor, Action::PriceSupplierRead, "purchase_order", Some(id.to_string())).await?;
        let order = self.order(actor, id).await?;
        let company = actor.company_id;
        let mut tx = self.deps.store.begin_read(Some(company)).await?;
        let buyer = tx.company_by_id(company).await?.ok_or(Error::NotFound)?;
        let supplier = tx.supplier(company, order.head.supplier_id).await?.ok_or(Error::NotFound)?;
        let vessel = tx.vessel(company, order.head.vessel_id).await?.ok_or(Error::NotFound)?;
        let doc = document(&order, &buyer.name, &supplier, &vessel.name);
        Ok((format!("{}.pdf", doc.number), render(&doc)))
    }
}

/// The order's printed text.
pub fn document(
    order: &FullOrder,
    company: &str,
    supplier: &bosun_domain::purchasing::Supplier,
    vessel: &str,
) -> OrderDocument {
    let h = &order.head;
    let supplier_lines = std::iter::once(supplier.name.clone())
        .chain(supplier.contact.clone().map(|c| format!("Attn. {c}")))
        .chain(supplier.address.iter().flat_map(|a| a.lines().map(str::to_owned).collect::<Vec<_>>()))
        .chain(supplier.email.clone())
        .chain(supplier.phone.clone())
        .collect();
    OrderDocument {
        company: company.to_owned(),
        number: order_number(h.number),
        date: h.created_at.date_naive().to_string(),
        expected_on: h.expected_on.map(|d| d.to_string()),
        status: h.status.as_str().replace('_', " "),
        supplier: supplier_lines,
        deliver_to: vessel.to_owned(),
        lines: order
            .lines
            .iter()
            .map(|l| DocumentLine {
                number: l.part_number.clone().unwrap_or_default(),
                name: l.part_name.clone(),
                quantity: l.line.ordered.to_string(),
                unit: l.unit.clone(),
                unit_price: money(l.line.pricing.supplier_unit_minor),
                total: money(line_total(l.line.pricing.supplier_unit_minor, l.line.ordered)),
            })
            .collect(),
        total: money(h.supplier_total_minor),
        currency: h.currency.clone(),
        note: h.note.clone(),
    }
}

/// An order's number as people write it: `PO-000042`.
pub fn order_number(n: i64) -> String {
    format!("PO-{n:06}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(lines: usize) -> OrderDocument {
        OrderDocument {
            company: "Nordic Offshore AS".into(),
            number: order_number(42),
            date: "2026-12-06".into(),
            expected_on: Some("2026-12-20".into()),
            status: "sent".into(),
            supplier: vec!["Wärtsilä Norway".into(), "Attn. Kari Nordmann".into(), "Stord".into()],
            deliver_to: "MV Fjordbris".into(),
            lines: (0..lines)
                .map(|i| DocumentLine {
                    number: format!("WN-{i:04}"),
                    name: format!("Impeller øst {i} with a very long description that goes on and on and on"),
                    quantity: "2".into(),
                    unit: "pcs".into(),
                    unit_price: money(41_50),
                    total: money(83_00),
                })
                .collect(),
            total: money(83_00 * i64::try_from(lines).unwrap_or(0)),
            currency: "NOK".into(),
            note: Some("Deliver to the quay office, Stord base.".into()),
        }
    }

    fn text_of(pdf: &[u8]) -> (usize, String) {
        let d = lopdf::Document::load_mem(pdf).expect("a readable PDF");
        let pages: Vec<u32> = d.get_pages().keys().copied().collect();
        (pages.len(), d.extract_text(&pages).expect("its text"))
    }

    #[test]
    fn an_order_prints_its_number_supplier_lines_and_total() {
        let (pages, text) = text_of(&render(&doc(3)));
        assert_eq!(pages, 1);
        for expected in
            ["PURCHASE ORDER", "PO-000042", "Wärtsilä Norway", "MV Fjordbris", "WN-0002", "249.00", "Total NOK"]
        {
            assert!(text.contains(expected), "{expected:?} in {text}");
        }
        assert!(text.contains("Deliver to the quay office"));
    }

    #[test]
    fn two_hundred_lines_take_seven_pages() {
        let (pages, text) = text_of(&render(&doc(200)));
        assert_eq!(pages, 7);
        assert!(text.contains("Page 7 of 7") && text.contains("WN-0199"));
    }

    #[test]
    fn money_groups_thousands_and_keeps_two_decimals() {
        assert_eq!(money(123_456_789), "1,234,567.89");
        assert_eq!(money(5), "0.05");
        assert_eq!(money(-100_000), "-1,000.00");
        assert_eq!(win_ansi("ø€✓"), vec![0xf8, 0x80, b'?']);
    }
}
