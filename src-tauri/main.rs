fn main() {
    forsat::run()
}
