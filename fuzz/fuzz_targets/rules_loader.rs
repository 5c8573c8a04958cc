//! Any text as a rules file: never a panic; a file that loads can run its inline tests
//! and judge a record.
#![no_main]

use cognito_trail_alerts::trail::Record;
use cognito_trail_alerts::RuleSet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match RuleSet::from_yaml(text, "fuzz.yaml") {
        Ok(rules) => {
            let _ = rules.run_tests();
            let record = br#"{"eventSource":"cognito-idp.amazonaws.com","eventName":"UpdateUserPool","requestParameters":{"mfaConfiguration":"OFF"}}"#;
            let record = Record::parse(record).expect("fixed record");
            let _ = rules.evaluate(&record);
        }
        Err(e) => assert!(e.to_string().starts_with("fuzz.yaml:")),
    }
});
