//! The release settings that can be checked on any machine: what `tauri.conf.json`
//! asks the bundler to make for Windows, macOS and Linux, the `.forsat` file
//! association, the updater's key and address, and that the versions agree. (The
//! tauri CLI also checks the file against its schema on every build.)

use std::path::Path;

use serde_json::Value;

fn config() -> Value {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tauri.conf.json")).unwrap();
    serde_json::from_str(&text).expect("tauri.conf.json is JSON")
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

#[test]
fn installers_for_the_three_systems_are_configured() {
    let c = config();
    let bundle = &c["bundle"];
    assert_eq!(bundle["active"], true);
    let targets = strings(&bundle["targets"]);
    for t in ["nsis", "msi", "dmg", "app", "deb", "rpm", "appimage"] {
        assert!(targets.contains(&t), "bundle.targets lacks {t}");
    }
    // Windows: the WebView2 bootstrapper goes inside the installer, so it installs
    // on machines without WebView2 and without internet access to fetch it.
    assert_eq!(bundle["windows"]["webviewInstallMode"]["type"], "embedBootstrapper");
    let nsis_languages = strings(&bundle["windows"]["nsis"]["languages"]);
    assert!(nsis_languages.contains(&"Farsi") && nsis_languages.contains(&"English"));
    // No signing identity is committed: the release workflow adds it from secrets.
    assert!(bundle["windows"]
        .get("certificateThumbprint")
        .is_none_or(Value::is_null));
    assert!(bundle["macOS"].get("signingIdentity").is_none_or(Value::is_null));
    assert!(bundle["macOS"]["minimumSystemVersion"].is_string());
    // Linux packages name what the app needs at run time.
    let deb_depends = strings(&bundle["linux"]["deb"]["depends"]);
    assert!(deb_depends.iter().any(|d| d.starts_with("libwebkit2gtk-4.1")));
    // Every icon the bundler is told about exists.
    for icon in strings(&bundle["icon"]) {
        assert!(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(icon).is_file(),
            "{icon} is missing"
        );
    }
    for ext in ["png", "ico", "icns"] {
        assert!(
            strings(&bundle["icon"]).iter().any(|i| i.ends_with(ext)),
            "no .{ext} icon"
        );
    }
    assert_eq!(c["productName"], "Forsat");
    assert_eq!(c["identifier"], "app.forsat.crm");
}

#[test]
fn forsat_backups_open_with_the_app() {
    let c = config();
    let assoc = c["bundle"]["fileAssociations"]
        .as_array()
        .expect("bundle.fileAssociations");
    let backup = assoc
        .iter()
        .find(|a| strings(&a["ext"]).contains(&"forsat"))
        .expect("a .forsat association");
    assert_eq!(backup["mimeType"], "application/x-forsat-backup");
    assert!(backup["name"].as_str().is_some_and(|n| !n.is_empty()));
}

#[test]
fn the_versions_agree() {
    let c = config();
    assert_eq!(
        c["version"],
        env!("CARGO_PKG_VERSION"),
        "tauri.conf.json and Cargo.toml"
    );
    let ui: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/package.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        ui["version"],
        env!("CARGO_PKG_VERSION"),
        "ui/package.json and Cargo.toml"
    );
}

#[test]
fn the_updater_checks_signed_releases_over_https() {
    let c = config();
    let updater = &c["plugins"]["updater"];
    let endpoints = strings(&updater["endpoints"]);
    assert!(!endpoints.is_empty());
    for e in &endpoints {
        assert!(e.starts_with("https://"), "{e} is not https");
    }
    assert_ne!(updater["dangerousInsecureTransportProtocol"], true);
    // The public key is a minisign key, read as the updater reads it.
    use base64::Engine as _;
    let text = base64::engine::general_purpose::STANDARD
        .decode(updater["pubkey"].as_str().expect("plugins.updater.pubkey"))
        .expect("the public key is base64");
    let text = String::from_utf8(text).unwrap();
    minisign_verify::PublicKey::decode(&text).expect("a minisign public key");
    // Updater bundles are made by the release workflow, which holds the private key.
    assert_ne!(c["bundle"]["createUpdaterArtifacts"], true);
}

/// A signature as the tauri CLI writes it (`tauri signer sign`) verifies a package
/// against the matching public key the way the updater checks a download, and a
/// changed package or another key's signature is refused. Needs the tauri CLI of the
/// UI's packages (scripts/setup installs it).
#[test]
fn a_signed_package_verifies_and_a_changed_one_does_not() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The CLI's own script, run by node: the same on Windows, macOS and Linux.
    let tauri = root.join("ui/node_modules/@tauri-apps/cli/tauri.js");
    assert!(
        tauri.exists(),
        "the tauri CLI is missing: run scripts/setup (or npm ci in ui)"
    );
    let dir = std::env::temp_dir().join(format!("forsat-release-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new("node")
            .arg(&tauri)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "tauri {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let key = dir.join("test.key");
    let key_s = key.to_str().unwrap();
    run(&["signer", "generate", "--ci", "-p", "test", "-w", key_s, "-f"]);
    let package = dir.join("Forsat_9.9.9_amd64.deb");
    std::fs::write(&package, b"the package's bytes").unwrap();
    run(&["signer", "sign", "-f", key_s, "-p", "test", package.to_str().unwrap()]);

    use base64::Engine as _;
    let b64 = |p: &Path| {
        String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(std::fs::read_to_string(p).unwrap().trim())
                .unwrap(),
        )
        .unwrap()
    };
    let public = minisign_verify::PublicKey::decode(&b64(&dir.join("test.key.pub"))).unwrap();
    let signature = minisign_verify::Signature::decode(&b64(&dir.join("Forsat_9.9.9_amd64.deb.sig"))).unwrap();
    public
        .verify(&std::fs::read(&package).unwrap(), &signature, true)
        .expect("the signed package verifies");
    assert!(public.verify(b"another package", &signature, true).is_err());

    // Another key's signature of the same package is refused too.
    let other = dir.join("other.key");
    run(&[
        "signer",
        "generate",
        "--ci",
        "-p",
        "test",
        "-w",
        other.to_str().unwrap(),
        "-f",
    ]);
    let other_public = minisign_verify::PublicKey::decode(&b64(&dir.join("other.key.pub"))).unwrap();
    assert!(other_public
        .verify(&std::fs::read(&package).unwrap(), &signature, true)
        .is_err());
    std::fs::remove_dir_all(&dir).ok();
}
