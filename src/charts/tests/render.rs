use super::*;

/// Writes every chart (both forms, both languages) and `chart.css` into `$CHARTS_DUMP_DIR`, for
/// looking at them in a browser: `CHARTS_DUMP_DIR=… cargo test dump_for_preview -- --ignored`.
#[test]
#[ignore]
fn dump_for_preview() {
    let dir = std::env::var("CHARTS_DUMP_DIR").expect("set CHARTS_DUMP_DIR");
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("chart.css"), super::super::chart_css()).unwrap();
    for c in fixture().iter() {
        for l in ["en", "zh"] {
            let r = c.render(l);
            let name = format!("{}.{l}", c.id());
            std::fs::write(dir.join(format!("{name}.svg")), &r.svg_file).unwrap();
            std::fs::write(dir.join(format!("{name}.inline.svg")), &r.svg_inline).unwrap();
            std::fs::write(dir.join(format!("{name}.table.html")), &r.table_html).unwrap();
        }
    }
}
