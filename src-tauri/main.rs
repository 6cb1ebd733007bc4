fn main() {
    // `forsat import …` / `forsat export …` run without the window.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(code) = forsat_core::cli::dispatch(&args) {
        std::process::exit(code);
    }
    forsat::run()
}
