//! Mounts the tss-console app into the page; everything else lives in the library.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(tss_console::App);
}
