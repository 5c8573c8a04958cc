use std::path::PathBuf;

use super::*;

const SHARED: &str = "shared:\n  escalations:\n    root-caller: { severity: high, when: { userIdentityType: Root }, say: Root. }\n";
const RULES: &str = "rules:\n  - { id: a, title: T, severity: low, description: D, match: { eventName: X }, escalate: [root-caller] }\n";

/// A pack in a fresh directory: `_shared.yaml`, `r.yaml` and its manifest.
fn pack_dir(tag: &str, manifest: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cta-pack-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("_shared.yaml"), SHARED).unwrap();
    std::fs::write(dir.join("r.yaml"), RULES).unwrap();
    std::fs::write(dir.join(MANIFEST), manifest).unwrap();
    dir
}

#[test]
fn a_pack_loads_from_its_directory_or_its_manifest() {
    let dir = pack_dir("ok", "version: 1\nfiles:\n  - _shared.yaml\n  - r.yaml\n");
    for path in [dir.clone(), dir.join(MANIFEST)] {
        let set = RuleSet::load(&path).unwrap();
        assert_eq!(set.name(), path.display().to_string());
        let rule = &set.rules()[0];
        assert_eq!(rule.file, dir.join("r.yaml").display().to_string());
        assert_eq!(rule.sentences().collect::<Vec<_>>(), ["Root."]);
    }
    std::fs::remove_dir_all(&dir).ok();
    // Order matters: the rules file before the definitions it uses.
    let dir = pack_dir("order", "files: [r.yaml, _shared.yaml]\n");
    let got = RuleSet::load(&dir).unwrap_err().to_string();
    let want = format!("{}:2:", dir.join("r.yaml").display());
    assert!(
        got.starts_with(&want) && got.contains("\"root-caller\""),
        "{got}"
    );
    std::fs::remove_dir_all(&dir).ok();
    // A directory without a manifest, and a file the manifest lists but lacks.
    let dir = pack_dir("missing", "files: [_shared.yaml, gone.yaml]\n");
    let got = RuleSet::load(&dir).unwrap_err().to_string();
    assert!(
        got.starts_with(&format!(
            "{}: cannot read rules",
            dir.join("gone.yaml").display()
        )),
        "{got}"
    );
    std::fs::remove_file(dir.join(MANIFEST)).unwrap();
    let got = RuleSet::load(&dir).unwrap_err().to_string();
    assert!(
        got.starts_with(&format!(
            "{}: cannot read rules",
            dir.join(MANIFEST).display()
        )),
        "{got}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn manifest_errors_are_located() {
    let cases = [
        ("files: []\n", "m.yaml:1:1: `files` lists no file"),
        (
            "files:\n  - a.yaml\n  - ../b.yaml\n",
            "m.yaml:3:1: \"../b.yaml\": a pack lists .yaml files inside its directory",
        ),
        (
            "files:\n  - a.yaml\n  - a.yaml\n",
            "m.yaml:3:1: \"a.yaml\" is listed twice",
        ),
        (
            "files: [a.yaml]\nrules: []\n",
            "m.yaml:2:1: unknown field `rules`",
        ),
        (
            "version: 2\nfiles: [a.yaml]\n",
            "m.yaml:1:1: unsupported version 2",
        ),
    ];
    for (text, want) in cases {
        let got = manifest_files(text, "m.yaml").unwrap_err().to_string();
        assert!(got.starts_with(want), "want {want:?}, got {got:?}");
    }
}

#[test]
fn the_manifest_the_binary_and_the_directory_agree() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let listed = manifest_files(BUNDLED_MANIFEST, MANIFEST).unwrap();
    let built: Vec<&str> = BUNDLED_FILES.iter().map(|(name, _)| *name).collect();
    let expected: Vec<String> = listed
        .iter()
        .map(|f| format!("{BUNDLED_DIR}/{f}"))
        .collect();
    assert_eq!(
        built, expected,
        "BUNDLED_FILES follows {BUNDLED_DIR}/{MANIFEST}"
    );
    let on_disk: std::collections::BTreeSet<String> = std::fs::read_dir(root.join(BUNDLED_DIR))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != MANIFEST)
        .collect();
    let listed: std::collections::BTreeSet<String> = listed.into_iter().collect();
    assert_eq!(
        on_disk, listed,
        "{BUNDLED_DIR} holds the files its manifest lists"
    );
    // The directory loads as the bundled pack does, its files named by their path.
    let ids = |set: &RuleSet| set.rules().iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    let from_dir = RuleSet::load(&root.join(BUNDLED_DIR)).unwrap();
    assert_eq!(ids(&from_dir), ids(&RuleSet::bundled().unwrap()));
}

#[test]
fn a_bundled_file_names_itself_in_errors_and_rules() {
    let set = RuleSet::bundled().unwrap();
    let client = set
        .rules()
        .iter()
        .find(|r| r.id == "cognito-idp.client.create")
        .unwrap();
    assert_eq!(client.file, "rules/cognito/client.yaml");
    assert_eq!(set.file_of(client), "rules/cognito/client.yaml");
    let broken: Vec<(&str, String)> = BUNDLED_FILES
        .iter()
        .map(|(name, text)| match name.ends_with("/client.yaml") {
            true => (
                *name,
                text.replacen("severity: medium", "severity: urgent", 1),
            ),
            false => (*name, text.to_string()),
        })
        .collect();
    let got = RuleSet::from_files(BUNDLED_NAME, &broken)
        .unwrap_err()
        .to_string();
    assert!(got.starts_with("rules/cognito/client.yaml:"), "{got}");
    assert!(got.contains("unknown variant `urgent`"), "{got}");
}
