//! The committed `ui/src/bindings.ts` must be what the Rust commands generate.
//! Regenerate with `FORSAT_UPDATE_BINDINGS=1 cargo test --test bindings`.

use std::path::PathBuf;

#[test]
fn committed_bindings_are_current() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let committed_path = root.join(forsat::bindings::BINDINGS_PATH);
    let fresh_path = std::env::temp_dir().join(format!("forsat-bindings-{}.ts", std::process::id()));
    forsat::bindings::export(&fresh_path).expect("export bindings");
    let fresh = std::fs::read_to_string(&fresh_path).expect("read fresh bindings");
    let _ = std::fs::remove_file(&fresh_path);
    if std::env::var("FORSAT_UPDATE_BINDINGS").as_deref() == Ok("1") {
        std::fs::write(&committed_path, &fresh).expect("write bindings");
        return;
    }
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == fresh,
        "ui/src/bindings.ts is stale: run `FORSAT_UPDATE_BINDINGS=1 cargo test --test bindings` and commit the result"
    );
}
