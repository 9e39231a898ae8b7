//! Profiling aid: the cost of openssl's initialisation alone, for the start-up benchmark.
fn main() {
    if std::env::args().nth(1).as_deref() == Some("init") {
        openssl::init();
    }
}
