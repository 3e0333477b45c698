//! The date parsers: free text (`extract::parse_date`, `find_date`, `date_from_url`) and
//! the HTML extractor's forms (`extract::html::dates`).
use honggfuzz::fuzz;

fn main() {
    loop {
        fuzz!(|data: &[u8]| {
            let (f, rest) = tintuc_fuzz::flags(data);
            let s = tintuc_fuzz::text(rest);
            let offset = jiff_offset(f);
            let _ = tintuc::extract::parse_date(&s);
            let _ = tintuc::extract::parse_date_with(&s, offset);
            let _ = tintuc::extract::find_date(&s, offset);
            let _ = tintuc::extract::date_from_url(&s);
            if let Some(d) = tintuc::extract::html::dates::parse_machine(&s) {
                let _ = d.timestamp();
                let _ = d.to_iso();
            }
            if let Some(d) = tintuc::extract::html::dates::find_visible(&s, f & 1 != 0) {
                let _ = d.timestamp();
                let _ = d.to_iso();
            }
            let _ = tintuc::extract::html::dates::from_url(&s);
        });
    }
}

/// An offset between -12 and +14 hours chosen by the flag byte.
fn jiff_offset(f: u8) -> jiff::tz::Offset {
    let hours = i8::try_from(f % 27).unwrap_or(0) - 12;
    jiff::tz::Offset::constant(hours)
}
