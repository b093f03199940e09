//! Any text through the salary-in-prose reader: never a panic, and a salary found is
//! positive, finite and ordered.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for dollar in [None, Some("CAD")] {
        if let Some(salary) = engine::sources::salary::from_text(text, dollar) {
            for value in [salary.min, salary.max].into_iter().flatten() {
                assert!(value.is_finite() && value > 0.0, "{value} from {text:?}");
            }
            if let (Some(min), Some(max)) = (salary.min, salary.max) {
                assert!(min <= max, "{min} > {max} from {text:?}");
            }
        }
    }
});
