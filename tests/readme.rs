//! The README's rule table is generated from the registry, so it cannot drift. Run with
//! `UPDATE_README=1` to rewrite it.

use iamlint::rules::{pack, registry};

#[test]
fn readme_lists_every_rule() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    let from = readme.find(start).expect("README has a rules:start marker") + start.len();
    let to = readme.find(end).expect("README has a rules:end marker");
    let mut table = String::from(
        "| code | name | severity | summary | pack |\n| --- | --- | --- | --- | --- |\n",
    );
    for m in registry::BUILTIN
        .iter()
        .map(|r| &r.meta)
        .chain(pack::builtin_metas())
    {
        table.push_str(&format!(
            "| {} | `{}` | {} | {} | {} |\n",
            m.code,
            m.name,
            m.severity.as_str(),
            m.summary.replace('|', "\\|"),
            m.pack.unwrap_or("")
        ));
    }
    if std::env::var_os("UPDATE_README").is_some() {
        std::fs::write(
            &path,
            format!("{}{table}{}", &readme[..from], &readme[to..]),
        )
        .unwrap();
        return;
    }
    assert_eq!(
        &readme[from..to],
        table,
        "the README's rule table is stale: run `UPDATE_README=1 cargo test --test readme`"
    );
}
