//! The browser entry point: hydrates the server-rendered page.
// The release build (without `erase_components`) computes the layouts of deeply nested view
// types here; the default limit of 128 is too low for the Jobs page.
#![recursion_limit = "512"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
